//! Errors of the inventory: rule violations, never I/O.

/// Why an inventory could not be assembled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InventoryError {
    #[error("{kind} id {id} occurs more than once")]
    DuplicateId { kind: &'static str, id: i64 },
}
