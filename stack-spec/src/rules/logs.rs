//! CloudWatch Logs: retention periods.

/// The retention periods CloudWatch Logs accepts, in days.
pub const RETENTION_DAYS: &[u64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// A retention, in seconds: a whole number of days from [`RETENTION_DAYS`].
pub fn retention(seconds: u64) -> Result<(), String> {
    let valid = seconds.is_multiple_of(86_400) && RETENTION_DAYS.contains(&(seconds / 86_400));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "of {seconds} s is not a CloudWatch Logs period; use `Duration::days(n)` with n one of {RETENTION_DAYS:?}"
        ))
    }
}

#[cfg(test)]
mod tests {
    // Only CloudWatch's listed periods are accepted.
    use super::*;

    #[test]
    fn periods() {
        assert!(retention(30 * 86_400).is_ok());
        assert!(retention(31 * 86_400).is_err());
        assert!(retention(3600).is_err());
    }
}
