//! DNS names, as Route 53 and ACM accept them.

/// A fully qualified name (a trailing `.` is allowed).
pub fn domain_name(name: &str) -> Result<(), String> {
    why_not(name, false).map_err(|why| format!("`{name}` {why}"))
}

/// A fully qualified name whose first label may be `*`.
pub fn domain_name_or_wildcard(name: &str) -> Result<(), String> {
    why_not(name, true).map_err(|why| format!("`{name}` {why}"))
}

fn why_not(name: &str, wildcard: bool) -> Result<(), &'static str> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.len() > 253 {
        return Err("must be 1 to 253 characters long");
    }
    for (index, label) in name.split('.').enumerate() {
        if label == "*" {
            if !wildcard || index > 0 {
                return Err("may use `*` only as its whole first label");
            }
            continue;
        }
        if label.is_empty() || label.len() > 63 {
            return Err("must have labels of 1 to 63 characters between dots");
        }
        if !label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err("may hold only letters, digits, `-` and `_` between dots");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // Labels, wildcards and lengths.
    use super::*;

    #[test]
    fn names() {
        assert!(domain_name("app.example.com.").is_ok());
        assert!(domain_name("_acme.example.com").is_ok());
        assert!(domain_name_or_wildcard("*.example.com").is_ok());
        assert!(domain_name("*.example.com").is_err());
        assert!(domain_name_or_wildcard("a.*.example.com").is_err());
        assert!(domain_name("a..b").is_err());
        assert!(domain_name(&"a".repeat(64)).is_err());
        assert!(domain_name("ex ample.com").is_err());
    }
}
