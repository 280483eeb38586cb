//! The seed of a run. A URL's `?seed=N` reproduces a run someone shared; without one,
//! the browser's randomness picks a seed, which the page shows so it can be shared.

use core::fmt;

/// Why a `?seed=` value was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    /// The value as it appeared in the URL.
    pub given: String,
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "?seed={} is not a whole number from 0 to 18446744073709551615",
            self.given
        )
    }
}

/// Reads `seed` from a URL query string such as `?nodes=8&seed=42`.
/// `Ok(None)` when the query has no seed.
pub fn from_query(query: &str) -> Result<Option<u64>, SeedError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let Some(value) = query.split('&').find_map(|pair| pair.strip_prefix("seed=")) else {
        return Ok(None);
    };
    value.parse().map(Some).map_err(|_| SeedError {
        given: value.to_owned(),
    })
}

/// A fresh seed from the browser's randomness (`crypto.getRandomValues`).
/// Falls back to 0 only if the browser offers no randomness at all.
pub fn random() -> u64 {
    let mut bytes = [0; 8];
    match getrandom::getrandom(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes),
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_seed_among_other_parameters() {
        assert_eq!(from_query(""), Ok(None));
        assert_eq!(from_query("?nodes=8"), Ok(None));
        assert_eq!(from_query("?seed=42"), Ok(Some(42)));
        assert_eq!(from_query("?nodes=8&seed=7"), Ok(Some(7)));
        assert_eq!(from_query("?seed=18446744073709551615"), Ok(Some(u64::MAX)));
    }

    #[test]
    fn rejects_what_is_not_a_u64_and_says_what_it_got() {
        for bad in ["abc", "-1", "1.5", "", "18446744073709551616"] {
            let err = from_query(&format!("?seed={bad}")).unwrap_err();
            assert_eq!(err.given, bad);
            assert!(err.to_string().contains("not a whole number"));
        }
    }
}
