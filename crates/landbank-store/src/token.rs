//! Bearer tokens as the store keeps them: a name, a role, the SHA-256 digest of the secret, and when the token
//! was created and revoked. The secret itself is never stored.

/// One bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Unique; recorded as the actor of every event the token causes.
    pub name: String,
    /// `planner` or `admin`.
    pub role: String,
    /// Lower-case hex SHA-256 of the secret.
    pub secret_sha256: String,
    /// RFC 3339 timestamps.
    pub created_at: String,
    pub revoked_at: Option<String>,
}

pub(crate) const SELECT: &str = "select name, role, secret_sha256, created_at, revoked_at from token order by name";

pub(crate) fn already(name: &str) -> crate::StoreError {
    crate::StoreError::Conflict { reason: format!("a token named `{name}` exists (names are never reused)") }
}
