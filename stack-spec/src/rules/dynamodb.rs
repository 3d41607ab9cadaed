//! Amazon DynamoDB: table and index names.

/// A table or index name: 3 to 255 letters, digits, `_`, `-` or `.`.
pub fn table_name(name: &str) -> Result<(), String> {
    let valid = (3..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` must be 3 to 255 letters, digits, `_`, `-` or `.`"
        ))
    }
}

#[cfg(test)]
mod tests {
    // DynamoDB's name alphabet and lengths.
    use super::*;

    #[test]
    fn table_names() {
        assert!(table_name("photos.v2_x-y").is_ok());
        assert!(table_name("ab").is_err());
        assert!(table_name("a b c").is_err());
    }
}
