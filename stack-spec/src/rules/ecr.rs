//! Amazon ECR: repository names.

/// A repository name: 2 to 256 lowercase letters, digits, `.`, `_`, `-` and `/`,
/// starting with a letter or digit, with no empty `/` segment.
pub fn repository_name(name: &str) -> Result<(), String> {
    why_not(name).map_err(|why| format!("`{name}` {why}"))
}

fn why_not(name: &str) -> Result<(), &'static str> {
    if !(2..=256).contains(&name.len()) {
        return Err("must be 2 to 256 characters long");
    }
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c));
    if !valid_chars {
        return Err("may hold only lowercase letters, digits, `.`, `_`, `-` and `/`");
    }
    let starts_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !starts_ok {
        return Err("must start with a lowercase letter or digit");
    }
    if name.split('/').any(|part| part.is_empty()) {
        return Err("must not have empty `/` segments");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // ECR's naming rules, one per case.
    use super::*;

    #[test]
    fn repository_names() {
        assert!(repository_name("team/app-web").is_ok());
        assert!(repository_name("App").is_err());
        assert!(repository_name("a//b").is_err());
        assert!(repository_name("-a").is_err());
    }
}
