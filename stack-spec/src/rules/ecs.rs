//! Amazon ECS: cluster names.

/// A cluster name: 1 to 255 letters, digits, `-` and `_`.
pub fn cluster_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 255 {
        return Err(format!("`{name}` must be 1 to 255 characters long"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "`{name}` may hold only letters, digits, `-` and `_`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_names() {
        assert!(cluster_name("web-apps_2").is_ok());
        assert!(cluster_name(&"a".repeat(255)).is_ok());
        assert!(cluster_name("").is_err());
        assert!(cluster_name(&"a".repeat(256)).is_err());
        let why = cluster_name("web apps").err().unwrap_or_default();
        assert!(why.contains("letters, digits"), "{why}");
        assert!(cluster_name("web.apps").is_err());
    }
}
