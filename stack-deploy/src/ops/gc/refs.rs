//! Which asset hashes the deployed stacks refer to: every 64-hex-digit run in the template
//! and the parameter values of every stack in the account and region.

use std::collections::BTreeSet;

use crate::aws::{errors, Aws};
use crate::ops::gc::Meter;
use crate::shell::Shell;

/// The length of a hex SHA-256: what asset hashes are.
pub(crate) const HASH_LEN: usize = 64;

/// The hashes the deployed stacks refer to.
#[derive(Debug, Default)]
pub(crate) struct References {
    /// Every 64-character window of every run of at least 64 hex digits, lowercased.
    hashes: BTreeSet<String>,
    /// How many stacks were read.
    pub(crate) stacks: usize,
}

impl References {
    /// Whether `hash` appears in a deployed template or parameter value.
    pub(crate) fn contains(&self, hash: &str) -> bool {
        self.hashes.contains(hash)
    }

    /// Takes in every hash-like string of `text`. Any string that contains a hash counts
    /// (`...:<hash>` image URIs, `<hash>.zip` keys, hashes inside `Fn::Sub`), and a longer
    /// hex run counts for each hash it could contain.
    pub(crate) fn scan(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            if !bytes[start].is_ascii_hexdigit() {
                start += 1;
                continue;
            }
            let end = bytes[start..]
                .iter()
                .position(|b| !b.is_ascii_hexdigit())
                .map_or(bytes.len(), |n| start + n);
            if end - start >= HASH_LEN {
                for at in start..=end - HASH_LEN {
                    self.hashes
                        .insert(text[at..at + HASH_LEN].to_ascii_lowercase());
                }
            }
            start = end;
        }
    }
}

/// The hash `name` carries when it is exactly a hash followed by `suffix` (`.zip`, or
/// nothing for an image tag): only names this tool gives staged assets.
pub(crate) fn hash_name<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    let hash = name.strip_suffix(suffix)?;
    let ours = hash.len() == HASH_LEN
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    ours.then_some(hash)
}

/// Reads the template and parameters of every stack in the account and region. A stack
/// whose template cannot be read fails the whole run, since what it refers to is unknown;
/// except a stack in `REVIEW_IN_PROGRESS` without a template (an unexecuted change set's).
pub(crate) async fn read(
    shell: &mut Shell,
    aws: &Aws,
    meter: &Meter,
) -> Result<References, String> {
    let mut references = References::default();
    let mut token: Option<String> = None;
    let mut stacks = Vec::new();
    loop {
        let page = aws
            .cfn
            .describe_stacks()
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot list the stacks of {}, so what they use is unknown: {}",
                    aws.region,
                    errors::describe(&e)
                )
            })?;
        for stack in page.stacks() {
            for parameter in stack.parameters() {
                references.scan(parameter.parameter_value().unwrap_or_default());
                references.scan(parameter.resolved_value().unwrap_or_default());
            }
            let status = stack.stack_status().map(|s| s.as_str().to_owned());
            let id = stack.stack_id().or(stack.stack_name()).unwrap_or_default();
            stacks.push((
                id.to_owned(),
                stack.stack_name().unwrap_or(id).to_owned(),
                status.unwrap_or_default(),
            ));
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let count = stacks.len();
    for (i, (id, name, status)) in stacks.iter().enumerate() {
        meter.show(
            shell,
            &format!("gc: reading the template of `{name}` ({}/{count})", i + 1),
        );
        let template = aws.cfn.get_template().stack_name(id).send().await;
        match template {
            Ok(output) => references.scan(output.template_body().unwrap_or_default()),
            Err(_) if status == "REVIEW_IN_PROGRESS" => {}
            Err(error) => {
                shell.clear_live();
                return Err(format!(
                    "cannot read the template of `{name}` ({status}), so the assets it uses are \
                     unknown; nothing was tagged or deleted: {}",
                    errors::describe(&error)
                ));
            }
        }
    }
    references.stacks = count;
    Ok(references)
}

#[cfg(test)]
mod tests {
    // What counts as a reference, and which names are ours.
    use super::*;

    const H: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn a_hash_anywhere_in_a_string_is_a_reference() {
        let mut refs = References::default();
        refs.scan(&format!(
            r#"{{"ImageUri": "1.dkr.ecr.us-east-1.amazonaws.com/repo:{}", "K": "{H}.zip"}}"#,
            H.to_ascii_uppercase().replace('0', "f")
        ));
        assert!(refs.contains(H));
        assert!(refs.contains(&H.replace('0', "f")));
        assert!(!refs.contains(&H.replace('1', "2")));
    }

    #[test]
    fn a_longer_hex_run_counts_for_every_hash_it_holds() {
        let mut refs = References::default();
        refs.scan(&format!("x{H}99y"));
        assert!(refs.contains(H));
        assert!(refs.contains(&format!("{}99", &H[2..])));
        let mut short = References::default();
        short.scan(&H[1..]);
        assert_eq!(short.hashes.len(), 0, "63 digits are no hash");
    }

    #[test]
    fn only_our_hash_names_are_collected() {
        assert_eq!(hash_name(&format!("{H}.zip"), ".zip"), Some(H));
        assert_eq!(hash_name(H, ""), Some(H));
        assert_eq!(
            hash_name(&format!("templates/Large-{H}.json"), ".json"),
            None
        );
        assert_eq!(
            hash_name(&format!("{}.zip", H.to_ascii_uppercase()), ".zip"),
            None
        );
        assert_eq!(hash_name(&format!("{H}.zip.bak"), ".zip"), None);
        assert_eq!(hash_name("latest", ""), None);
    }
}
