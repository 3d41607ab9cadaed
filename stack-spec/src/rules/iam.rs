//! AWS IAM: role and policy names.

/// Whether `name` is 1 to `max` characters of IAM's name alphabet (`[\w+=,.@-]`).
pub fn is_name(name: &str, max: usize) -> bool {
    !name.is_empty()
        && name.len() <= max
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

/// A role name: 1 to 64 letters, digits or `+=,.@_-`.
pub fn role_name(name: &str) -> Result<(), String> {
    if is_name(name, 64) {
        Ok(())
    } else {
        Err(format!(
            "`{name}` must be 1 to 64 letters, digits or `+=,.@_-`"
        ))
    }
}

#[cfg(test)]
mod tests {
    // IAM's name alphabet and lengths.
    use super::*;

    #[test]
    fn role_names() {
        assert!(role_name("app-role+ci@prod").is_ok());
        assert!(role_name("app role").is_err());
        assert!(role_name(&"r".repeat(65)).is_err());
        assert!(is_name(&"p".repeat(128), 128));
    }
}
