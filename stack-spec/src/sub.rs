//! The `${...}` placeholders of an `Fn::Sub` template, as CloudFormation reads them.

/// One piece of an `Fn::Sub` template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    /// Literal text, with `${!x}` escapes turned back into `${x}`.
    Literal(String),
    /// The text inside `${...}`: a parameter, a pseudo parameter or `Resource.Attribute`.
    Placeholder(&'a str),
}

/// A template split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template<'a> {
    /// Literal text and placeholders, in order; adjacent literals are merged.
    pub parts: Vec<Part<'a>>,
    /// Whether a `${` was never closed; the rest of the template from there is the last
    /// literal part.
    pub unclosed: bool,
}

/// Splits `template` into literal text and placeholders.
pub fn parse(template: &str) -> Template<'_> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = template;
    let mut unclosed = false;
    while let Some(start) = rest.find("${") {
        literal.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            literal.push_str(&rest[start..]);
            rest = "";
            unclosed = true;
            break;
        };
        let inner = &after[..end];
        rest = &after[end + 1..];
        if let Some(escaped) = inner.strip_prefix('!') {
            literal.push_str("${");
            literal.push_str(escaped);
            literal.push('}');
            continue;
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(std::mem::take(&mut literal)));
        }
        parts.push(Part::Placeholder(inner));
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Template { parts, unclosed }
}

/// Escapes literal text for use inside a template (`${` becomes `${!`).
pub fn escape(text: &str) -> String {
    text.replace("${", "${!")
}

#[cfg(test)]
mod tests {
    // Templates split into literals and placeholders the way CloudFormation reads them.
    use super::*;

    #[test]
    fn placeholders_and_literals_alternate() {
        let t = parse("arn:${AWS::Partition}:s3:::${Bucket}/*");
        assert_eq!(
            t.parts,
            vec![
                Part::Literal("arn:".into()),
                Part::Placeholder("AWS::Partition"),
                Part::Literal(":s3:::".into()),
                Part::Placeholder("Bucket"),
                Part::Literal("/*".into()),
            ]
        );
        assert!(!t.unclosed);
    }

    #[test]
    fn escapes_are_literal_text() {
        let t = parse("a${!b}c");
        assert_eq!(t.parts, vec![Part::Literal("a${b}c".into())]);
        assert_eq!(escape("x${y}"), "x${!y}");
    }

    #[test]
    fn an_unclosed_placeholder_is_reported_and_kept_as_text() {
        let t = parse("a${b.Arn}/${c");
        assert!(t.unclosed);
        assert_eq!(
            t.parts,
            vec![
                Part::Literal("a".into()),
                Part::Placeholder("b.Arn"),
                Part::Literal("/${c".into()),
            ]
        );
        assert_eq!(parse("").parts, vec![]);
    }
}
