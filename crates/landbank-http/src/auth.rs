//! Bearer tokens and roles.
//!
//! A token is `lb_` and 64 hex digits (256 random bits from the operating system). The store keeps only the
//! SHA-256 digest of the secret, the token's name and its role; `landbank token create` (or `POST /tokens` by an
//! admin) prints the secret once. Tokens given to `serve --token name:secret[:role]` live in memory only.
//!
//! Roles: anonymous callers read public fields; a `planner` also reserves, allocates, releases, splits, merges and
//! edits projects, and reads restricted fields; an `admin` also edits parcels, buildings and units and manages
//! tokens. Every node reloads the stored tokens every few seconds ([`spawn_token_refresh`]), so a token revoked on
//! one node stops working on every node within that interval, and at once on the node that revoked it.

use std::collections::HashMap;
use std::fmt;
use std::sync::RwLock;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// What a token may do; an admin may do everything a planner may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Planner,
    Admin,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Planner => "planner",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        match s {
            "planner" => Ok(Role::Planner),
            "admin" => Ok(Role::Admin),
            other => Err(format!("`{other}` is not a role; the roles are planner and admin")),
        }
    }
}

/// A new secret: `lb_` and 64 hex digits of the operating system's randomness.
///
/// # Panics
///
/// When the operating system has no randomness to give, which leaves nothing safe to do.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    format!("lb_{}", hex(&bytes))
}

/// The lower-case hex SHA-256 of a secret: what the store keeps.
pub fn secret_digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Who a token belongs to and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub name: String,
    pub role: Role,
}

/// The tokens a node accepts, by the digest of their secret.
#[derive(Debug, Default)]
pub struct Tokens {
    /// From `serve --token`: never revoked, never stored.
    configured: HashMap<String, Grant>,
    /// From the store, revoked ones left out; replaced whole on every refresh.
    stored: RwLock<HashMap<String, Grant>>,
}

impl Tokens {
    /// Tokens given on the command line, as `(name, secret, role)`.
    pub fn configured(tokens: impl IntoIterator<Item = (String, String, Role)>) -> Tokens {
        let configured =
            tokens.into_iter().map(|(name, secret, role)| (secret_digest(&secret), Grant { name, role })).collect();
        Tokens { configured, stored: RwLock::default() }
    }

    /// The grant of a secret, if a live token has it.
    pub fn find(&self, secret: &str) -> Option<Grant> {
        let digest = secret_digest(secret);
        if let Some(grant) = self.configured.get(&digest) {
            return Some(grant.clone());
        }
        self.stored.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&digest).cloned()
    }

    /// Replaces the stored tokens with the live ones of `tokens`.
    pub fn replace(&self, tokens: &[landbank_store::Token]) {
        let live = tokens
            .iter()
            .filter(|t| t.revoked_at.is_none())
            .filter_map(|t| Some((t.secret_sha256.clone(), Grant { name: t.name.clone(), role: t.role.parse().ok()? })))
            .collect();
        *self.stored.write().unwrap_or_else(std::sync::PoisonError::into_inner) = live;
    }

    /// Whether any token can be accepted at all.
    pub fn is_empty(&self) -> bool {
        self.configured.is_empty() && self.stored.read().unwrap_or_else(std::sync::PoisonError::into_inner).is_empty()
    }
}

/// Reads the stored tokens into the node's set.
///
/// # Errors
///
/// When the store cannot be read; the node keeps the tokens it had.
pub async fn refresh_tokens(state: &AppState) -> Result<(), ApiError> {
    let Some(writer) = &state.writer else { return Ok(()) };
    let tokens = writer.store().tokens().await.map_err(crate::write::store_error)?;
    state.tokens.replace(&tokens);
    Ok(())
}

/// Reloads the stored tokens every `interval`, so that tokens created or revoked elsewhere take effect here.
pub fn spawn_token_refresh(state: AppState, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = refresh_tokens(&state).await {
                tracing::warn!(error = %e, "cannot reload the tokens; keeping the ones loaded before");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_256_bits_of_hex_and_never_repeat() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 3 + 64);
        assert!(a.starts_with("lb_") && a[3..].bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn the_digest_is_sha256_in_hex() {
        assert_eq!(secret_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn revoked_and_unknown_tokens_are_not_found() {
        let tokens = Tokens::configured([("ci".to_owned(), "configured-secret-1234".to_owned(), Role::Admin)]);
        let stored = |name: &str, secret: &str, revoked: Option<&str>| landbank_store::Token {
            name: name.to_owned(),
            role: "planner".to_owned(),
            secret_sha256: secret_digest(secret),
            created_at: "2026-11-27T00:00:00Z".to_owned(),
            revoked_at: revoked.map(str::to_owned),
        };
        tokens.replace(&[stored("ana", "lb_one", None), stored("bo", "lb_two", Some("2026-11-27T01:00:00Z"))]);
        assert_eq!(tokens.find("lb_one"), Some(Grant { name: "ana".into(), role: Role::Planner }));
        assert_eq!(tokens.find("lb_two"), None);
        assert_eq!(tokens.find("configured-secret-1234").map(|g| g.role), Some(Role::Admin));
        assert_eq!(tokens.find("lb_three"), None);
    }
}

/// `POST /tokens` body.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    name: String,
    role: String,
}

/// A token name: 1 to 64 letters, digits, `.`, `_` or `-`.
pub fn check_token_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok { Ok(()) } else { Err(format!("`{name}` is not a token name: use 1 to 64 letters, digits, `.`, `_` or `-`")) }
}

fn now() -> String {
    jiff::Timestamp::now().round(jiff::Unit::Second).unwrap_or_else(|_| jiff::Timestamp::now()).to_string()
}

fn token_json(t: &landbank_store::Token) -> serde_json::Value {
    serde_json::json!({ "name": t.name, "role": t.role, "created_at": t.created_at, "revoked_at": t.revoked_at })
}

/// `GET /tokens` (admin): every token, revoked ones too, without secrets.
pub async fn list_tokens(
    axum::extract::State(state): axum::extract::State<AppState>,
    actor: crate::write::Actor,
) -> Result<axum::response::Response, ApiError> {
    actor.require(Role::Admin, "listing tokens")?;
    let writer = state.writer.as_ref().ok_or(ApiError::ReadOnly)?;
    let tokens = writer.store().tokens().await.map_err(crate::write::store_error)?;
    let body = serde_json::json!({ "tokens": tokens.iter().map(token_json).collect::<Vec<_>>() });
    Ok(crate::html::json(&body))
}

/// `POST /tokens` (admin): creates a token and shows its secret, once.
pub async fn create_token(
    axum::extract::State(state): axum::extract::State<AppState>,
    actor: crate::write::Actor,
    body: crate::write::Body<NewToken>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse as _;
    actor.require(Role::Admin, "creating tokens")?;
    let NewToken { name, role } = body.value;
    check_token_name(&name).map_err(ApiError::InvalidBody)?;
    let role: Role = role.parse().map_err(ApiError::InvalidBody)?;
    let writer = state.writer.as_ref().ok_or(ApiError::ReadOnly)?;
    let secret = new_secret();
    let token = landbank_store::Token {
        name: name.clone(),
        role: role.code().to_owned(),
        secret_sha256: secret_digest(&secret),
        created_at: now(),
        revoked_at: None,
    };
    writer.store().create_token(token.clone()).await.map_err(crate::write::store_error)?;
    refresh_tokens(&state).await?;
    tracing::info!(token = %name, role = %role, by = %actor.0, "token created");
    let mut answer = token_json(&token);
    answer["secret"] = serde_json::Value::from(secret);
    let mut response = (axum::http::StatusCode::CREATED, axum::Json(answer)).into_response();
    let headers = response.headers_mut();
    headers.insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    if let Ok(location) = axum::http::HeaderValue::from_str(&format!("/tokens/{name}")) {
        headers.insert(axum::http::header::LOCATION, location);
    }
    Ok(response)
}

/// `DELETE /tokens/{name}` (admin): revokes a token on this node at once, on the others within the refresh
/// interval.
pub async fn revoke_token(
    axum::extract::State(state): axum::extract::State<AppState>,
    actor: crate::write::Actor,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<axum::response::Response, ApiError> {
    actor.require(Role::Admin, "revoking tokens")?;
    let writer = state.writer.as_ref().ok_or(ApiError::ReadOnly)?;
    let at = now();
    if !writer.store().revoke_token(&name, &at).await.map_err(crate::write::store_error)? {
        return Err(ApiError::NotFound { path: format!("/tokens/{name} (no live token of that name)") });
    }
    refresh_tokens(&state).await?;
    tracing::info!(token = %name, by = %actor.0, "token revoked");
    Ok(crate::html::json(&serde_json::json!({ "name": name, "revoked_at": at })))
}

/// What a reader may see: anonymous callers the public fields, token holders every field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    Full,
}

impl axum::extract::FromRequestParts<AppState> for Access {
    type Rejection = ApiError;

    /// No `Authorization` header reads public fields; a header must carry a live token, which reads every field
    /// (a wrong or revoked token is a 401, never a silent fall back to public).
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Access, ApiError> {
        if !parts.headers.contains_key(axum::http::header::AUTHORIZATION) {
            return Ok(Access::Public);
        }
        if state.tokens.is_empty() {
            return Err(ApiError::Unauthorized("this server accepts no tokens; read without one".into()));
        }
        crate::write::Actor::from_request_parts(parts, state).await.map(|_| Access::Full)
    }
}

/// The properties of `layer` a reader with `access` may see, in schema order.
pub fn visible(
    layer: landbank_inventory::Layer,
    access: Access,
) -> impl Iterator<Item = &'static landbank_geojson::PropertySpec> + Clone {
    landbank_geojson::schema(layer).iter().filter(move |p| access == Access::Full || !p.restricted)
}

/// The names of the public properties of `layer`.
pub fn public_names(layer: landbank_inventory::Layer) -> &'static [&'static str] {
    use std::sync::OnceLock;
    static NAMES: [OnceLock<Vec<&'static str>>; 6] = [const { OnceLock::new() }; 6];
    let slot = landbank_inventory::Layer::ALL.iter().position(|l| *l == layer).unwrap_or(0);
    NAMES[slot].get_or_init(|| visible(layer, Access::Public).map(|p| p.name).collect())
}

/// The properties to write for a reader: what was asked for (already checked to be visible), or everything the
/// reader may see.
pub fn output<'a>(
    asked: Option<&'a [&'static str]>,
    layer: landbank_inventory::Layer,
    access: Access,
) -> Option<&'a [&'static str]> {
    match (asked, access) {
        (Some(asked), _) => Some(asked),
        (None, Access::Full) => None,
        (None, Access::Public) => Some(public_names(layer)),
    }
}
