//! Amazon SNS: topic names and subscription endpoints.

/// A topic name: 1 to 256 letters, digits, `-` and `_`, a FIFO topic's ending in `.fifo`
/// (within the 256).
pub fn topic_name(name: &str) -> Result<(), String> {
    let stem = name.strip_suffix(".fifo").unwrap_or(name);
    if name.is_empty() || name.len() > 256 {
        return Err(format!("`{name}` must be 1 to 256 characters long"));
    }
    if stem.is_empty()
        || !stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "`{name}` may hold only letters, digits, `-` and `_`, and end in `.fifo` for a FIFO topic"
        ));
    }
    Ok(())
}

/// An email address as an SNS `email` subscription takes it: one `@` between a local
/// part and a domain with a dot, no spaces.
pub fn email_address(address: &str) -> Result<(), String> {
    let valid = match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !address.contains(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!("`{address}` is not an email address"))
    }
}

/// The URL of an `http`/`https` subscription: `https://` (or `http://`) and a host.
pub fn endpoint_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !url.contains(' ') => Ok(()),
        _ => Err(format!(
            "`{url}` is not an HTTP endpoint; write `https://host/path`"
        )),
    }
}

#[cfg(test)]
mod tests {
    // SNS's naming rules and the endpoint forms a subscription accepts.
    use super::*;

    #[test]
    fn topic_names() {
        assert!(topic_name("orders").is_ok());
        assert!(topic_name("orders.fifo").is_ok());
        assert!(topic_name(&"a".repeat(256)).is_ok());
        assert!(topic_name(&"a".repeat(257)).is_err());
        assert!(topic_name("order events").is_err());
        assert!(topic_name("").is_err());
    }

    #[test]
    fn endpoints() {
        assert!(email_address("ops@example.com").is_ok());
        assert!(email_address("ops.example.com").is_err());
        assert!(email_address("ops@example").is_err());
        assert!(email_address("a b@example.com").is_err());
        assert!(endpoint_url("https://hooks.example.com/orders").is_ok());
        assert!(endpoint_url("http://example.com").is_ok());
        assert_eq!(
            endpoint_url("ftp://example.com").expect_err("rejected"),
            "`ftp://example.com` is not an HTTP endpoint; write `https://host/path`"
        );
        assert!(endpoint_url("https://").is_err());
    }
}
