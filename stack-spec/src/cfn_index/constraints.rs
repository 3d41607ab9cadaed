//! The registry schema's constraints on a property's literal values (`pattern`,
//! `minLength`/`maxLength`, `minimum`/`maximum`, `minItems`/`maxItems`), checked the way
//! cfn-lint checks them, so a literal cfn-lint rejects is a compile error and a literal
//! it accepts never is.
//!
//! cfn-lint matches patterns with Python's `regex` module (`regex.search`: unanchored).
//! They are matched here with `regex-lite`, whose syntax is close but not the same, so a
//! pattern is enforced only when both engines read it alike ([`enforced_pattern`]) and
//! the value is printable ASCII (Python's `\d`, `\w`, `\s` are Unicode-aware and its `$`
//! also matches before a final newline).

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use regex_lite::Regex;
use serde_json::{Map, Value};

/// The constraints of one property.
#[derive(Clone, Copy, Debug, Default)]
pub struct Constraints {
    /// `pattern` of a string leaf.
    pub pattern: Option<&'static str>,
    /// `minLength` of a string leaf, in characters.
    pub min_length: Option<u64>,
    /// `maxLength` of a string leaf, in characters.
    pub max_length: Option<u64>,
    /// `minimum` of a number leaf.
    pub minimum: Option<f64>,
    /// `maximum` of a number leaf.
    pub maximum: Option<f64>,
    /// `minItems` of the list.
    pub min_items: Option<u64>,
    /// `maxItems` of the list.
    pub max_items: Option<u64>,
}

impl Constraints {
    pub(super) fn from_json(json: &'static Map<String, Value>) -> Self {
        let int = |k: &str| json.get(k).and_then(Value::as_u64);
        let num = |k: &str| json.get(k).and_then(Value::as_f64);
        Constraints {
            pattern: json.get("pattern").and_then(Value::as_str),
            min_length: int("minLength"),
            max_length: int("maxLength"),
            minimum: num("minimum"),
            maximum: num("maximum"),
            min_items: int("minItems"),
            max_items: int("maxItems"),
        }
    }

    /// What a string literal breaks, as "must ..., found ..." (`None` when it fits or
    /// cannot be judged the way cfn-lint would).
    pub fn check_str(&self, value: &str) -> Option<String> {
        let len = value.chars().count() as u64;
        if let Some(min) = self.min_length.filter(|min| len < *min) {
            return Some(format!(
                "must be at least {min} {} long, found {len}",
                characters(min)
            ));
        }
        if let Some(max) = self.max_length.filter(|max| len > *max) {
            return Some(format!(
                "must be at most {max} {} long, found {len}",
                characters(max)
            ));
        }
        let pattern = self.pattern?;
        if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return None;
        }
        let regex = enforced_pattern(pattern)?;
        if regex.is_match(value) {
            return None;
        }
        let culprit = first_outside_class(pattern, value)
            .map(|(i, c)| format!(": `{c}` (character {}) is not allowed", i + 1))
            .unwrap_or_default();
        Some(format!("must match the pattern `{pattern}`{culprit}"))
    }

    /// What a number literal breaks (`None` when it fits).
    pub fn check_number(&self, value: f64, written: &str) -> Option<String> {
        if let Some(min) = self.minimum.filter(|min| value < *min) {
            return Some(format!("must be at least {min}, found {written}"));
        }
        if let Some(max) = self.maximum.filter(|max| value > *max) {
            return Some(format!("must be at most {max}, found {written}"));
        }
        None
    }

    /// What a list of `count` items breaks (`None` when it fits).
    pub fn check_items(&self, count: usize) -> Option<String> {
        let count = count as u64;
        if let Some(min) = self.min_items.filter(|min| count < *min) {
            return Some(format!(
                "must have at least {min} {}, found {count}",
                items(min)
            ));
        }
        if let Some(max) = self.max_items.filter(|max| count > *max) {
            return Some(format!(
                "must have at most {max} {}, found {count}",
                items(max)
            ));
        }
        None
    }
}

fn characters(n: u64) -> &'static str {
    if n == 1 {
        "character"
    } else {
        "characters"
    }
}

fn items(n: u64) -> &'static str {
    if n == 1 {
        "item"
    } else {
        "items"
    }
}

/// The compiled pattern when it is enforced: `regex-lite` parses it, and it uses nothing
/// the two engines read differently (inline flags and groups other than `(?:`, a `[`
/// or a set operator `&&`/`--`/`~~` inside a class, `{` not opening a counted
/// repetition, a letter escape other than `\d \w \s \b \n \t \r \f \v \x \u \A \Z`
/// and their negations; Python's `\Z` is compiled as `\z`).
pub fn enforced_pattern(pattern: &'static str) -> Option<&'static Regex> {
    type Cache = Mutex<BTreeMap<&'static str, Option<&'static Regex>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Cache::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *cache.entry(pattern).or_insert_with(|| {
        if !same_reading(pattern) {
            return None;
        }
        Regex::new(&end_of_text(pattern))
            .ok()
            .map(|r| &*Box::leak(Box::new(r)))
    })
}

/// Whether the pattern avoids every construct `regex-lite` and Python's `regex` read
/// differently.
fn same_reading(pattern: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\\' => {
                // Escapes of letters and digits beyond the common ones differ (`\z`, `\Z`,
                // `\h`, backreferences...); punctuation escapes read alike.
                match next {
                    Some(e) if e.is_ascii_alphanumeric() => {
                        if !"dDwWsSbBntrfvxuAZ".contains(e) || (in_class && "bBAZ".contains(e)) {
                            return false;
                        }
                    }
                    Some(_) => {}
                    None => return false,
                }
                i += 2;
                continue;
            }
            '[' if in_class => return false,
            '[' => {
                in_class = true;
                // `[]...]` and `[^]...]`: a leading `]` is literal in Python only.
                let mut j = i + 1;
                if chars.get(j) == Some(&'^') {
                    j += 1;
                }
                if chars.get(j) == Some(&']') {
                    return false;
                }
                i = j;
                continue;
            }
            ']' if in_class => in_class = false,
            '&' | '-' | '~' if in_class && next == Some(c) => return false,
            '(' if !in_class && next == Some('?') && chars.get(i + 2) != Some(&':') => {
                return false
            }
            '{' if !in_class && !counted_repetition(&chars[i..]) => return false,
            _ => {}
        }
        i += 1;
    }
    true
}

/// The pattern with Python's end-of-text `\Z` spelled as `regex-lite` spells it, `\z`.
fn end_of_text(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\\' {
            match chars.next() {
                Some('Z') => out.push('z'),
                Some(e) => out.push(e),
                None => {}
            }
        }
    }
    out
}

/// Whether `s` starts with `{n}`, `{n,}` or `{n,m}` (what both engines read as a
/// repetition; Python reads `{,m}` as one too, `regex-lite` does not).
fn counted_repetition(s: &[char]) -> bool {
    let end = match s.iter().position(|c| *c == '}') {
        Some(end) => end,
        None => return false,
    };
    let inner: String = s[1..end].iter().collect();
    let mut parts = inner.splitn(2, ',');
    let first = parts.next().unwrap_or_default();
    let second = parts.next();
    !first.is_empty()
        && first.chars().all(|c| c.is_ascii_digit())
        && second.is_none_or(|s| s.chars().all(|c| c.is_ascii_digit()))
}

/// For a pattern that is one bracket class repeated over the whole value
/// (`^[a-z0-9-]+$`, `^[\w.]{1,64}\Z`), the first character of `value` outside the class.
fn first_outside_class(pattern: &str, value: &str) -> Option<(usize, char)> {
    let body = pattern.strip_prefix('^')?;
    let body = body
        .strip_suffix('$')
        .or_else(|| body.strip_suffix("\\Z"))?;
    if !body.starts_with('[') {
        return None;
    }
    let close = class_end(body)?;
    let (class, quantifier) = body.split_at(close + 1);
    let repeated = matches!(quantifier, "*" | "+")
        || (quantifier.starts_with('{')
            && quantifier.ends_with('}')
            && counted_repetition(&quantifier.chars().collect::<Vec<_>>()));
    if !repeated {
        return None;
    }
    let one = Regex::new(&format!("^{class}$")).ok()?;
    value
        .chars()
        .enumerate()
        .find(|(_, c)| !one.is_match(c.encode_utf8(&mut [0; 4])))
}

/// The index of the `]` closing the class that opens `s`.
fn class_end(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ']' => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_pattern(pattern: &'static str) -> Constraints {
        Constraints {
            pattern: Some(pattern),
            ..Constraints::default()
        }
    }

    #[test]
    fn lengths_count_characters() {
        let c = Constraints {
            min_length: Some(2),
            max_length: Some(3),
            ..Constraints::default()
        };
        assert_eq!(
            c.check_str("a").as_deref(),
            Some("must be at least 2 characters long, found 1")
        );
        assert_eq!(
            c.check_str("abcd").as_deref(),
            Some("must be at most 3 characters long, found 4")
        );
        assert_eq!(c.check_str("äöü"), None);
    }

    #[test]
    fn ranges_and_list_sizes() {
        let c = Constraints {
            minimum: Some(0.0),
            maximum: Some(43200.0),
            min_items: Some(1),
            max_items: Some(2),
            ..Constraints::default()
        };
        assert_eq!(
            c.check_number(99999.0, "99999").as_deref(),
            Some("must be at most 43200, found 99999")
        );
        assert_eq!(
            c.check_number(-1.0, "-1").as_deref(),
            Some("must be at least 0, found -1")
        );
        assert_eq!(c.check_number(43200.0, "43200"), None);
        assert_eq!(
            c.check_items(0).as_deref(),
            Some("must have at least 1 item, found 0")
        );
        assert_eq!(
            c.check_items(3).as_deref(),
            Some("must have at most 2 items, found 3")
        );
        assert_eq!(c.check_items(2), None);
    }

    #[test]
    fn patterns_search_like_cfn_lint_and_name_the_character() {
        let c = with_pattern("^[a-zA-Z0-9_-]{1,80}$");
        assert_eq!(c.check_str("orders-1"), None);
        assert_eq!(
            c.check_str("orders queue").as_deref(),
            Some(
                "must match the pattern `^[a-zA-Z0-9_-]{1,80}$`: ` ` (character 7) is not allowed"
            )
        );
        // Unanchored patterns match anywhere, as `regex.search` does.
        assert_eq!(with_pattern("[0-9]").check_str("abc1"), None);
        assert_eq!(
            with_pattern("^arn:").check_str("nope").as_deref(),
            Some("must match the pattern `^arn:`")
        );
    }

    #[test]
    fn values_the_engines_may_judge_differently_are_not_checked() {
        let c = with_pattern("^\\w+$");
        assert_eq!(c.check_str("née"), None);
        assert_eq!(c.check_str("abc\n"), None);
        assert!(c.check_str("a b").is_some());
    }

    #[test]
    fn patterns_read_differently_are_not_enforced() {
        for pattern in [
            "^[[a-z]]+$",
            "^[a-z&&[^q]]+$",
            "^[]a]+$",
            "^(?i)abc$",
            "^(?=a)a$",
            "^a{,3}$",
            "^a{x}$",
            "^\\p{L}+$",
            "^(a)\\1$",
            "^[\\b]$",
        ] {
            assert!(enforced_pattern(pattern).is_none(), "{pattern}");
        }
        for pattern in ["^[a-z]{1,3}$", "^(?:ab)+\\.x{2}$", "^[\\w\\-/]*$", "^\\d+$"] {
            assert!(enforced_pattern(pattern).is_some(), "{pattern}");
        }
        // Python's `\Z` is the end of the text, as `regex-lite`'s `\z`.
        let log_group = with_pattern("^[.\\-_/#A-Za-z0-9]{1,512}\\Z");
        assert_eq!(log_group.check_str("/aws/lambda/fn"), None);
        assert_eq!(
            log_group.check_str("/aws/lambda/my fn").as_deref(),
            Some("must match the pattern `^[.\\-_/#A-Za-z0-9]{1,512}\\Z`: ` ` (character 15) is not allowed")
        );
    }
}
