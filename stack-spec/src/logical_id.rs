//! How the names a stack declares become CloudFormation logical IDs.

/// The longest logical ID CloudFormation accepts.
pub const MAX_LEN: usize = 255;

/// The logical ID of a declared name: its UpperCamelCase form (`photo_bucket` →
/// `PhotoBucket`); a raw identifier's `r#` is dropped.
pub fn from_name(name: &str) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let mut id = String::with_capacity(name.len());
    for part in name.split('_').filter(|p| !p.is_empty()) {
        push_capitalized(&mut id, part);
    }
    id
}

/// The logical ID of one element of a resource declared in a `for`: the declared
/// name's ID followed by the element's key in UpperCamelCase, split at every character
/// that is not an ASCII letter or digit (`Functions` + `text-api` → `FunctionsTextApi`).
pub fn element(prefix: &str, key: &str) -> String {
    let mut id = prefix.to_owned();
    for part in key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        push_capitalized(&mut id, part);
    }
    id
}

fn push_capitalized(id: &mut String, part: &str) {
    let mut chars = part.chars();
    if let Some(first) = chars.next() {
        id.push(first.to_ascii_uppercase());
        id.push_str(chars.as_str());
    }
}

#[cfg(test)]
mod tests {
    // Declared names and `for` keys map to the logical IDs the templates carry.
    use super::*;

    #[test]
    fn names_become_upper_camel_case() {
        assert_eq!(from_name("photo_bucket"), "PhotoBucket");
        assert_eq!(from_name("api"), "Api");
        assert_eq!(from_name("r#type"), "Type");
        assert_eq!(from_name("__a__b"), "AB");
        assert_eq!(from_name("v2_api"), "V2Api");
    }

    #[test]
    fn element_keys_are_appended_in_upper_camel_case() {
        assert_eq!(element("Functions", "text-api"), "FunctionsTextApi");
        assert_eq!(element("Q", "a.b c"), "QABC");
        assert_eq!(element("Q", ""), "Q");
    }
}
