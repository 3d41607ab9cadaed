//! IAM action names in policies, checked against the vendored action list.
//!
//! IAM compares service prefixes and action names case-insensitively, so matching here
//! does too. `*` and `?` are wildcards in the action name; a pattern must match at least
//! one known action of its service, or it grants nothing.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

/// `service:Action` lines, sorted; written by the xtask from `xtask/vendor/iam/actions.txt`.
const DATA: &str = include_str!("../data/iam-actions.txt");

/// The most names a "did you mean" lists.
const MAX_SUGGESTIONS: usize = 3;

/// Every known IAM action, grouped by service prefix.
pub struct ActionIndex {
    /// Sorted case-insensitively by prefix.
    services: Vec<Service>,
}

struct Service {
    prefix: &'static str,
    /// Whole `service:Action` lines in canonical case, sorted case-insensitively by action.
    actions: Vec<&'static str>,
}

impl ActionIndex {
    /// The index of the embedded list, parsed on first use.
    pub fn get() -> &'static Self {
        static INDEX: OnceLock<ActionIndex> = OnceLock::new();
        INDEX.get_or_init(|| Self::parse(DATA))
    }

    fn parse(text: &'static str) -> Self {
        let mut services: Vec<Service> = Vec::new();
        for line in text.lines() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((prefix, _)) = line.split_once(':') else {
                continue;
            };
            match services.last_mut() {
                Some(service) if service.prefix == prefix => service.actions.push(line),
                _ => services.push(Service {
                    prefix,
                    actions: vec![line],
                }),
            }
        }
        // The generator writes the list in this order already; only a hand-edited file
        // pays for sorting.
        if !services.is_sorted_by(|a, b| cmp_ci(a.prefix, b.prefix).is_lt()) {
            services.sort_by(|a, b| cmp_ci(a.prefix, b.prefix));
            let mut merged: Vec<Service> = Vec::with_capacity(services.len());
            for service in services {
                match merged.last_mut() {
                    Some(last) if last.prefix.eq_ignore_ascii_case(service.prefix) => {
                        last.actions.extend(service.actions);
                    }
                    _ => merged.push(service),
                }
            }
            services = merged;
        }
        for service in &mut services {
            let len = service.prefix.len() + 1;
            let by_name = |a: &&str, b: &&str| cmp_ci(&a[len..], &b[len..]);
            if !service.actions.is_sorted_by(|a, b| by_name(a, b).is_lt()) {
                service.actions.sort_by(by_name);
            }
        }
        Self { services }
    }

    fn service(&self, prefix: &str) -> Option<&Service> {
        self.services
            .binary_search_by(|s| cmp_ci(s.prefix, prefix))
            .ok()
            .map(|i| &self.services[i])
    }

    /// Check one entry of a policy's `Action` or `NotAction`.
    pub fn check(&self, action: &str) -> Result<(), ActionError> {
        let error = |kind| {
            Err(ActionError {
                action: action.to_owned(),
                kind,
            })
        };
        if action.is_empty() {
            return error(ErrorKind::Empty);
        }
        if action.bytes().all(|b| b == b'*') {
            return Ok(());
        }
        let Some((prefix, name)) = action.split_once(':') else {
            let suggestions = if is_name(action) {
                self.services_with(action)
            } else {
                Vec::new()
            };
            return error(ErrorKind::NoPrefix { suggestions });
        };
        if name.contains(':') {
            return error(ErrorKind::ExtraColon);
        }
        if prefix.is_empty() {
            return error(ErrorKind::EmptyPrefix);
        }
        if prefix.contains(['*', '?']) {
            return error(ErrorKind::WildcardPrefix);
        }
        if let Some(c) = prefix
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || c == '-'))
        {
            return error(ErrorKind::BadPrefixChar(c));
        }
        if name.is_empty() {
            return error(ErrorKind::EmptyName {
                prefix: prefix.to_owned(),
            });
        }
        if let Some(c) = name
            .chars()
            .find(|&c| !(is_name_char(c) || c == '*' || c == '?'))
        {
            return error(ErrorKind::BadNameChar(c));
        }

        let Some(service) = self.service(prefix) else {
            let prefix_suggestion = closest(prefix, self.services.iter().map(|s| s.prefix));
            return error(ErrorKind::UnknownService {
                prefix: prefix.to_owned(),
                suggestion: prefix_suggestion,
            });
        };
        if name.contains(['*', '?']) {
            if service.matching(name).next().is_some() {
                return Ok(());
            }
            return error(ErrorKind::NoMatch {
                prefix: service.prefix,
                suggestion: service.suggest_pattern(name),
            });
        }
        if service.find(name).is_some() {
            return Ok(());
        }
        let suggestions = match closest(name, service.names()) {
            Some(name) => service.find(name).into_iter().collect(),
            None => self.services_with(name),
        };
        error(ErrorKind::UnknownAction {
            prefix: service.prefix,
            suggestions,
        })
    }

    /// The documented spelling of a known action, e.g. `S3:getobject` → `s3:GetObject`.
    /// `None` for wildcards and unknown actions.
    pub fn canonical(&self, action: &str) -> Option<&'static str> {
        let (prefix, name) = action.split_once(':')?;
        self.service(prefix)?.find(name)
    }

    /// `service:Action` for each service that has an action spelled `name`, if few do.
    fn services_with(&self, name: &str) -> Vec<&'static str> {
        let found: Vec<_> = self
            .services
            .iter()
            .filter_map(|s| s.find(name))
            .take(MAX_SUGGESTIONS + 1)
            .collect();
        if found.len() > MAX_SUGGESTIONS {
            Vec::new()
        } else {
            found
        }
    }
}

impl Service {
    fn name(&self, line: &'static str) -> &'static str {
        &line[self.prefix.len() + 1..]
    }

    fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.actions.iter().map(|line| self.name(line))
    }

    fn find(&self, name: &str) -> Option<&'static str> {
        self.actions
            .binary_search_by(|line| cmp_ci(self.name(line), name))
            .ok()
            .map(|i| self.actions[i])
    }

    fn matching<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'static str> + 'a {
        self.actions
            .iter()
            .copied()
            .filter(move |line| glob_match_ci(pattern.as_bytes(), self.name(line).as_bytes()))
    }

    /// For `Literal*` patterns: the shortest action prefix closest to `Literal`, as a pattern
    /// that matches (e.g. `Gett*` → `Get*`). Other shapes get no suggestion.
    fn suggest_pattern(&self, pattern: &str) -> Option<String> {
        let literal = pattern.strip_suffix('*')?;
        if literal.is_empty() || literal.contains(['*', '?']) {
            return None;
        }
        let limit = max_distance(literal);
        let mut best: Option<(usize, &'static str)> = None;
        for name in self.names() {
            let lengths = literal.len().saturating_sub(limit).max(1)..=literal.len() + limit;
            for len in lengths {
                let Some(head) = name.get(..len) else { break };
                let d = edit_distance(literal, head);
                let better = match best {
                    None => d <= limit,
                    Some((bd, bh)) => d < bd || (d == bd && head.len() < bh.len()),
                };
                if better {
                    best = Some((d, head));
                }
            }
        }
        best.map(|(_, head)| format!("{}:{head}*", self.prefix))
    }
}

/// The actions of the service with IAM prefix `prefix` (any case), in canonical case,
/// or `None` for a prefix IAM does not know.
pub fn service_actions(prefix: &str) -> Option<&'static [&'static str]> {
    ActionIndex::get()
        .service(prefix)
        .map(|service| service.actions.as_slice())
}

/// The IAM prefix that the actions on resources of CloudFormation type `type_name` carry,
/// when it is the type's service name (`AWS::SQS::Queue` → `sqs`) and IAM knows it;
/// `None` for services whose prefix differs (`AWS::StepFunctions` → `states`).
pub fn prefix_of_type(type_name: &str) -> Option<String> {
    let service = type_name.split("::").nth(1)?.to_ascii_lowercase();
    ActionIndex::get()
        .service(&service)
        .map(|s| s.prefix.to_owned())
}

/// Check one entry of a policy's `Action` or `NotAction`, e.g. `s3:GetObject`, `s3:Get*`,
/// `s3:*` or `*`.
pub fn check_action(action: &str) -> Result<(), ActionError> {
    ActionIndex::get().check(action)
}

/// The documented spelling of a known action (IAM ignores case, so a different spelling
/// is no error), e.g. `S3:getobject` → `s3:GetObject`.
pub fn canonical(action: &str) -> Option<&'static str> {
    ActionIndex::get().canonical(action)
}

/// Why an action was rejected; `Display` renders the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionError {
    /// The action as written.
    action: String,
    kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ErrorKind {
    Empty,
    NoPrefix {
        suggestions: Vec<&'static str>,
    },
    ExtraColon,
    EmptyPrefix,
    WildcardPrefix,
    BadPrefixChar(char),
    EmptyName {
        prefix: String,
    },
    BadNameChar(char),
    UnknownService {
        prefix: String,
        suggestion: Option<&'static str>,
    },
    UnknownAction {
        prefix: &'static str,
        suggestions: Vec<&'static str>,
    },
    NoMatch {
        prefix: &'static str,
        suggestion: Option<String>,
    },
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = &self.action;
        let reference = "check its spelling in the AWS Service Authorization Reference";
        match &self.kind {
            ErrorKind::Empty => {
                f.write_str("empty IAM action; write `service:Action`, e.g. `s3:GetObject`, or `*`")
            }
            ErrorKind::NoPrefix { suggestions } if !suggestions.is_empty() => {
                write!(f, "missing service prefix in IAM action `{action}`; ")?;
                did_you_mean(f, suggestions)
            }
            ErrorKind::NoPrefix { .. } => write!(
                f,
                "missing service prefix in IAM action `{action}`; write `service:Action`, \
                 e.g. `s3:GetObject`"
            ),
            ErrorKind::ExtraColon => write!(
                f,
                "more than one `:` in IAM action `{action}`; write `service:Action`, \
                 e.g. `s3:GetObject`"
            ),
            ErrorKind::EmptyPrefix => write!(
                f,
                "empty service prefix in IAM action `{action}`; write `service:Action`, \
                 e.g. `s3:GetObject`"
            ),
            ErrorKind::WildcardPrefix => write!(
                f,
                "wildcard in the service prefix of IAM action `{action}`; name the service \
                 and put wildcards after the `:`, e.g. `s3:Get*`"
            ),
            ErrorKind::BadPrefixChar(c) => write!(
                f,
                "invalid character {c:?} in the service prefix of IAM action `{action}`; \
                 prefixes use only letters, digits and `-`"
            ),
            ErrorKind::EmptyName { prefix } => write!(
                f,
                "missing action name in IAM action `{action}`; write `{prefix}:Action`, \
                 or `{prefix}:*` for every action of the service"
            ),
            ErrorKind::BadNameChar(c) => write!(
                f,
                "invalid character {c:?} in IAM action `{action}`; action names use only \
                 letters, digits, `-`, `_` and the wildcards `*` and `?`"
            ),
            ErrorKind::UnknownService {
                prefix,
                suggestion: Some(s),
            } => write!(
                f,
                "unknown IAM service prefix `{prefix}` in `{action}`; did you mean `{s}`?"
            ),
            ErrorKind::UnknownService {
                prefix,
                suggestion: None,
            } => write!(
                f,
                "unknown IAM service prefix `{prefix}` in `{action}`; {reference}"
            ),
            ErrorKind::UnknownAction { suggestions, .. } if !suggestions.is_empty() => {
                write!(f, "unknown IAM action `{action}`; ")?;
                did_you_mean(f, suggestions)
            }
            ErrorKind::UnknownAction { prefix, .. } => write!(
                f,
                "unknown IAM action `{action}`; {reference} for `{prefix}`"
            ),
            ErrorKind::NoMatch {
                prefix,
                suggestion: Some(s),
            } => write!(
                f,
                "`{action}` matches no IAM action of service `{prefix}`; did you mean `{s}`?"
            ),
            ErrorKind::NoMatch {
                prefix,
                suggestion: None,
            } => write!(
                f,
                "`{action}` matches no IAM action of service `{prefix}`; {reference} \
                 for `{prefix}`"
            ),
        }
    }
}

impl std::error::Error for ActionError {}

/// "did you mean `a`?", "did you mean `a` or `b`?", "did you mean `a`, `b` or `c`?"
fn did_you_mean(f: &mut fmt::Formatter<'_>, names: &[&str]) -> fmt::Result {
    f.write_str("did you mean ")?;
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            f.write_str(if i + 1 == names.len() { " or " } else { ", " })?;
        }
        write!(f, "`{name}`")?;
    }
    f.write_str("?")
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
}

/// ASCII case-insensitive ordering, the order the list is sorted in.
fn cmp_ci(a: &str, b: &str) -> Ordering {
    // A plain loop: proc macros usually run unoptimised, where iterator adapters are slow.
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        match a[i].to_ascii_lowercase().cmp(&b[i].to_ascii_lowercase()) {
            Ordering::Equal => i += 1,
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

/// IAM-style wildcard match, ASCII case-insensitive: `*` is any run, `?` one character.
fn glob_match_ci(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was, and the text position it currently absorbs up to.
    let mut star: Option<(usize, usize)> = None;
    while let Some(&c) = text.get(t) {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&q) if q == b'?' || q.eq_ignore_ascii_case(&c) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

/// How far a suggestion may be from what was written: a third of its length, at least 1.
fn max_distance(written: &str) -> usize {
    written.len().max(3) / 3
}

/// The candidate closest to `written` within [`max_distance`]; ties go to the first.
fn closest<'a>(written: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = max_distance(written);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate.len().abs_diff(written.len()) > limit {
            continue;
        }
        let d = edit_distance(written, candidate);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance ignoring ASCII case, as IAM matches actions.
fn edit_distance(a: &str, b: &str) -> usize {
    crate::suggest::edit_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    //! Action checks against the embedded list, and the matching helpers on small inputs.
    use super::*;

    fn message(action: &str) -> String {
        match check_action(action) {
            Ok(()) => panic!("`{action}` was accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn embedded_list_is_loaded_and_sorted() {
        let index = ActionIndex::get();
        assert!(index.services.len() > 400, "{}", index.services.len());
        let count: usize = index.services.iter().map(|s| s.actions.len()).sum();
        assert!(count > 20_000, "{count}");
        assert!(index
            .services
            .windows(2)
            .all(|w| cmp_ci(w[0].prefix, w[1].prefix).is_lt()));
        for service in &index.services {
            assert!(service.actions.windows(2).all(|w| cmp_ci(
                service.name(w[0]),
                service.name(w[1])
            )
            .is_lt()));
        }
    }

    #[test]
    fn exact_actions_pass() {
        for action in [
            "s3:GetObject",
            "sqs:SendMessage",
            "dynamodb:PutItem",
            "iam:PassRole",
            "lambda:InvokeFunction",
            "logs:CreateLogStream",
            "vpc-lattice:AssociateViaAWSService-EventsAndStates",
        ] {
            assert_eq!(check_action(action), Ok(()), "{action}");
        }
    }

    #[test]
    fn matching_ignores_case() {
        for action in ["S3:getobject", "s3:GETOBJECT", "Sqs:sendMessage", "S3:get*"] {
            assert_eq!(check_action(action), Ok(()), "{action}");
        }
    }

    #[test]
    fn canonical_restores_documented_case() {
        assert_eq!(canonical("S3:getobject"), Some("s3:GetObject"));
        assert_eq!(canonical("s3:GetObject"), Some("s3:GetObject"));
        assert_eq!(canonical("rds-db:CONNECT"), Some("rds-db:connect"));
        assert_eq!(canonical("s3:Get*"), None);
        assert_eq!(canonical("s3:GetObjekt"), None);
        assert_eq!(canonical("*"), None);
        assert_eq!(canonical("GetObject"), None);
    }

    #[test]
    fn wildcards_that_match_pass() {
        for action in [
            "*",
            "s3:*",
            "s3:Get*",
            "s3:*Object",
            "s3:Get?bject",
            "s3:*Object*",
            "dynamodb:Batch*Item",
            "ec2:Describe*",
        ] {
            assert_eq!(check_action(action), Ok(()), "{action}");
        }
    }

    #[test]
    fn wildcards_that_match_nothing_fail() {
        assert_eq!(
            message("s3:Gett*"),
            "`s3:Gett*` matches no IAM action of service `s3`; did you mean `s3:Get*`?"
        );
        assert_eq!(
            message("S3:Gett*"),
            "`S3:Gett*` matches no IAM action of service `s3`; did you mean `s3:Get*`?"
        );
        assert_eq!(
            message("ec2:Descibe*"),
            "`ec2:Descibe*` matches no IAM action of service `ec2`; \
             did you mean `ec2:Describe*`?"
        );
        let m = message("s3:*Zzzzqx*");
        assert!(
            m.starts_with("`s3:*Zzzzqx*` matches no IAM action of service `s3`; check"),
            "{m}"
        );
        assert!(check_action("s3:Get?").is_err());
    }

    #[test]
    fn unknown_actions_suggest_the_closest_in_the_service() {
        assert_eq!(
            message("s3:GetObjekt"),
            "unknown IAM action `s3:GetObjekt`; did you mean `s3:GetObject`?"
        );
        assert_eq!(
            message("s3:getobjcet"),
            "unknown IAM action `s3:getobjcet`; did you mean `s3:GetObject`?"
        );
        assert_eq!(
            message("sqs:SendMesage"),
            "unknown IAM action `sqs:SendMesage`; did you mean `sqs:SendMessage`?"
        );
        assert_eq!(
            message("lambda:InvokeFunktion"),
            "unknown IAM action `lambda:InvokeFunktion`; did you mean `lambda:InvokeFunction`?"
        );
    }

    #[test]
    fn unknown_actions_point_to_other_services() {
        assert_eq!(
            message("s3:PutItem"),
            "unknown IAM action `s3:PutItem`; did you mean `dax:PutItem` or `dynamodb:PutItem`?"
        );
    }

    #[test]
    fn unknown_actions_without_a_close_match() {
        assert_eq!(
            message("s3:Frobnicate"),
            "unknown IAM action `s3:Frobnicate`; check its spelling in the AWS Service \
             Authorization Reference for `s3`"
        );
    }

    #[test]
    fn unknown_service_prefixes() {
        assert_eq!(
            message("s4:GetObject"),
            "unknown IAM service prefix `s4` in `s4:GetObject`; did you mean `s3`?"
        );
        assert_eq!(
            message("dynamo:PutItem"),
            "unknown IAM service prefix `dynamo` in `dynamo:PutItem`; did you mean `dynamodb`?"
        );
        assert_eq!(
            message("nosuchservice:Get*"),
            "unknown IAM service prefix `nosuchservice` in `nosuchservice:Get*`; check its \
             spelling in the AWS Service Authorization Reference"
        );
    }

    #[test]
    fn malformed_input() {
        assert_eq!(
            message(""),
            "empty IAM action; write `service:Action`, e.g. `s3:GetObject`, or `*`"
        );
        assert_eq!(
            message("GetObjectz"),
            "missing service prefix in IAM action `GetObjectz`; write `service:Action`, \
             e.g. `s3:GetObject`"
        );
        assert_eq!(
            message("ReceiveMessage"),
            "missing service prefix in IAM action `ReceiveMessage`; \
             did you mean `sqs:ReceiveMessage`?"
        );
        // Too many services have it to guess.
        assert_eq!(
            message("SendMessage"),
            "missing service prefix in IAM action `SendMessage`; write `service:Action`, \
             e.g. `s3:GetObject`"
        );
        assert_eq!(
            message("s3:"),
            "missing action name in IAM action `s3:`; write `s3:Action`, or `s3:*` for every \
             action of the service"
        );
        assert_eq!(
            message(":GetObject"),
            "empty service prefix in IAM action `:GetObject`; write `service:Action`, \
             e.g. `s3:GetObject`"
        );
        assert!(message("arn:aws:s3:::bucket").starts_with("more than one `:`"));
        assert!(message("s*:GetObject").starts_with("wildcard in the service prefix"));
        assert!(message("*:*").starts_with("wildcard in the service prefix"));
        assert_eq!(
            message("s3:Get Object"),
            "invalid character ' ' in IAM action `s3:Get Object`; action names use only \
             letters, digits, `-`, `_` and the wildcards `*` and `?`"
        );
        assert!(message(" s3:GetObject").starts_with("invalid character ' ' in the service"));
        assert!(message("s3:GetObject\n").starts_with("invalid character '\\n'"));
        assert!(message("s3:GétObject").starts_with("invalid character 'é'"));
    }

    #[test]
    fn services_and_the_types_they_act_on() {
        assert_eq!(prefix_of_type("AWS::SQS::Queue").as_deref(), Some("sqs"));
        assert_eq!(
            prefix_of_type("AWS::DynamoDB::Table").as_deref(),
            Some("dynamodb")
        );
        assert_eq!(prefix_of_type("AWS::StepFunctions::StateMachine"), None);
        assert!(service_actions("SQS").is_some_and(|a| a.contains(&"sqs:SendMessage")));
        assert_eq!(service_actions("nope"), None);
    }

    #[test]
    fn glob_matching() {
        let m = |p: &str, t: &str| glob_match_ci(p.as_bytes(), t.as_bytes());
        assert!(m("*", ""));
        assert!(m("*", "GetObject"));
        assert!(m("get*", "GetObject"));
        assert!(m("*object", "GetObject"));
        assert!(m("g?t*t", "GetObject"));
        assert!(m("*e*e*", "GetObject"));
        assert!(!m("get", "GetObject"));
        assert!(!m("?", ""));
        assert!(!m("*x", "GetObject"));
        assert!(!m("Get?", "GetObject"));
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("GetObject", "getobject"), 0);
        assert_eq!(edit_distance("GetObjekt", "GetObject"), 1);
        assert_eq!(edit_distance("GetObjcet", "GetObject"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("s4", ["s3", "sqs", "sns"].into_iter()), Some("s3"));
        assert_eq!(closest("xyz", ["s3", "sqs"].into_iter()), None);
    }

    #[test]
    fn index_from_unsorted_text() {
        let index = ActionIndex::parse("# c\r\nsqs:b\r\ns3:B\nsqs:A\n\ns3:a_c\nbad line\n");
        assert_eq!(
            index.services.iter().map(|s| s.prefix).collect::<Vec<_>>(),
            ["s3", "sqs"]
        );
        assert_eq!(index.canonical("SQS:a"), Some("sqs:A"));
        assert_eq!(index.canonical("s3:b"), Some("s3:B"));
        assert_eq!(index.canonical("s3:A_C"), Some("s3:a_c"));
        assert!(index.check("sqs:*").is_ok());
        assert!(index.check("sqs:C").is_err());
    }
}
