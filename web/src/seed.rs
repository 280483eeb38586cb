//! A fresh seed for a run whose URL names none. The page shows it and writes it into
//! the URL, so the run can still be shared and reproduced.

/// A seed from the browser's randomness (`crypto.getRandomValues`). Falls back to 0
/// only if the browser offers no randomness at all.
pub fn random() -> u64 {
    let mut bytes = [0; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes),
        Err(_) => 0,
    }
}
