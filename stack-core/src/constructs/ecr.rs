//! Container registries: [`Repository`], a private ECR repository that scans images on
//! push, with lifecycle rules and pull/push grants.

use super::{literal_str, Construct, Duration};
use crate::aws;
use crate::aws::ecr::repository;
use crate::iam::{Grant, Statement};
use crate::kind;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};

/// Whether a pushed tag can later point at another image.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TagMutability {
    /// Tags can be pushed again (ECR's default; `latest` workflows need it).
    #[default]
    Mutable,
    /// A tag, once pushed, always names the same image.
    Immutable,
}

impl TagMutability {
    /// The identifier ECR uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            TagMutability::Mutable => "MUTABLE",
            TagMutability::Immutable => "IMMUTABLE",
        }
    }
}

/// Which images a [`LifecycleRule`] looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TagStatus {
    /// Every image (the default).
    #[default]
    Any,
    /// Images with a tag starting with one of `tag_prefix_list`.
    Tagged,
    /// Images without a tag.
    Untagged,
}

impl TagStatus {
    const fn as_str(self) -> &'static str {
        match self {
            TagStatus::Any => "any",
            TagStatus::Tagged => "tagged",
            TagStatus::Untagged => "untagged",
        }
    }
}

/// One lifecycle rule: expire images beyond a count or older than an age. Exactly one
/// of `max_image_count` and `max_image_age` is required. Rules apply in the order given.
#[derive(Clone, Debug, Default)]
pub struct LifecycleRule {
    description: Option<String>,
    tag_status: TagStatus,
    tag_prefix_list: Vec<String>,
    max_image_count: Option<u32>,
    max_image_age: Option<Duration>,
}

impl LifecycleRule {
    /// A description shown in the console.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Which images the rule looks at; `TagStatus::Any` when unset.
    #[must_use]
    pub fn tag_status(mut self, status: TagStatus) -> Self {
        self.tag_status = status;
        self
    }

    /// Tag prefixes, for `TagStatus::Tagged`: `["v", "release-"]`.
    #[must_use]
    pub fn tag_prefix_list(
        mut self,
        prefixes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.tag_prefix_list = prefixes.into_iter().map(Into::into).collect();
        self
    }

    /// Keep the newest `count` images; expire older ones.
    #[must_use]
    pub fn max_image_count(mut self, count: u32) -> Self {
        self.max_image_count = Some(count);
        self
    }

    /// Expire images pushed longer ago than `age` (whole days).
    #[must_use]
    pub fn max_image_age(mut self, age: Duration) -> Self {
        self.max_image_age = Some(age);
        self
    }
}

/// A private ECR repository. Images are scanned for vulnerabilities on push and
/// encrypted at rest; the repository is kept when the stack deletes it (as in CDK),
/// unless `removal_policy` says otherwise.
///
/// Resources: the repository `<Id>`, with its lifecycle policy inline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repository {
    id: String,
}

/// Options of a [`Repository`]; all optional.
#[derive(Clone, Debug)]
pub struct RepositoryProps {
    repository_name: Option<Value<String>>,
    image_scan_on_push: bool,
    image_tag_mutability: TagMutability,
    lifecycle_rules: Vec<LifecycleRule>,
    removal_policy: Option<RemovalPolicy>,
    empty_on_delete: bool,
}

impl Default for RepositoryProps {
    fn default() -> Self {
        Self {
            repository_name: None,
            image_scan_on_push: true,
            image_tag_mutability: TagMutability::default(),
            lifecycle_rules: Vec::new(),
            removal_policy: None,
            empty_on_delete: false,
        }
    }
}

impl RepositoryProps {
    /// The repository's name (lowercase, `/` for namespaces); CloudFormation generates
    /// one when unset.
    #[must_use]
    pub fn repository_name(mut self, name: impl IntoValue<String>) -> Self {
        self.repository_name = Some(name.into_value());
        self
    }

    /// Whether ECR scans each pushed image for known vulnerabilities; on when unset.
    #[must_use]
    pub fn image_scan_on_push(mut self, scan: bool) -> Self {
        self.image_scan_on_push = scan;
        self
    }

    /// Whether tags can be pushed again; `TagMutability::Mutable` when unset.
    #[must_use]
    pub fn image_tag_mutability(mut self, mutability: TagMutability) -> Self {
        self.image_tag_mutability = mutability;
        self
    }

    /// Rules that expire old images: `[LifecycleRule { max_image_count: 10 }]`.
    #[must_use]
    pub fn lifecycle_rules(mut self, rules: impl IntoIterator<Item = LifecycleRule>) -> Self {
        self.lifecycle_rules = rules.into_iter().collect();
        self
    }

    /// What happens to the repository when the stack deletes or replaces it; `Retain`
    /// when unset, so images outlive the stack unless you opt out.
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = Some(policy);
        self
    }

    /// Whether deleting the repository deletes its images too, so the deletion
    /// succeeds; needs `removal_policy: RemovalPolicy::Destroy`.
    #[must_use]
    pub fn empty_on_delete(mut self, empty: bool) -> Self {
        self.empty_on_delete = empty;
        self
    }
}

/// Actions to pull an image once authenticated.
const PULL_ACTIONS: [&str; 3] = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
];

/// Actions to push an image once authenticated.
const PUSH_ACTIONS: [&str; 5] = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
];

impl Repository {
    /// The repository's ARN.
    pub fn arn(&self) -> Value<Arn<kind::ecr::Repository>> {
        Value::get_att(&self.id, "Arn")
    }

    /// The repository's name (`Ref`).
    pub fn name(&self) -> Value<Id<kind::ecr::Repository>> {
        Value::reference(&self.id)
    }

    /// The URI to tag and pull images with: `<account>.dkr.ecr.<region>.amazonaws.com/<name>`.
    pub fn repository_uri(&self) -> Value<String> {
        Value::get_att(&self.id, "RepositoryUri")
    }

    /// `pull`: log in to ECR and pull images from this repository.
    pub fn grant_pull(&self) -> Grant {
        Grant::new([
            authorization_token(),
            Statement::allow(PULL_ACTIONS, [self.arn()]),
        ])
    }

    /// `push`: log in to ECR and push images to this repository.
    pub fn grant_push(&self) -> Grant {
        Grant::new([
            authorization_token(),
            Statement::allow(PUSH_ACTIONS, [self.arn()]),
        ])
    }

    /// `pull_push`: `pull` and `push` together.
    pub fn grant_pull_push(&self) -> Grant {
        Grant::new([
            authorization_token(),
            Statement::allow(PULL_ACTIONS.into_iter().chain(PUSH_ACTIONS), [self.arn()]),
        ])
    }
}

/// `ecr:GetAuthorizationToken` is account-wide: IAM offers no narrower resource.
pub(super) fn authorization_token() -> Statement {
    Statement::allow(["ecr:GetAuthorizationToken"], ["*"])
}

/// `ecr` pull actions on the repositories given, for an execution role.
pub(super) fn pull_statement(repositories: Vec<Value<String>>) -> Statement {
    Statement::allow(PULL_ACTIONS, repositories)
}

impl Construct for Repository {
    type Props = RepositoryProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: RepositoryProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        if let Some(name) = props.repository_name.as_ref().and_then(literal_str) {
            if let Err(why) = stack_spec::rules::ecr::repository_name(name) {
                stack.report(format!("repository `{id}`: `repository_name` {why}"));
            }
        }
        let removal_policy = props.removal_policy.unwrap_or(RemovalPolicy::Retain);
        if props.empty_on_delete && removal_policy != RemovalPolicy::Destroy {
            stack.report(format!(
                "repository `{id}`: `empty_on_delete: true` needs `removal_policy: RemovalPolicy::Destroy`; a kept repository must keep its images"
            ));
        }

        let lifecycle_policy = (!props.lifecycle_rules.is_empty()).then(|| {
            let text = lifecycle_policy_text(stack, id, &props.lifecycle_rules);
            repository::LifecyclePolicy {
                lifecycle_policy_text: Some(Value::lit(text)),
                ..Default::default()
            }
        });
        let repository = aws::ecr::Repository {
            repository_name: props.repository_name,
            image_scanning_configuration: Some(repository::ImageScanningConfiguration {
                scan_on_push: Some(props.image_scan_on_push.into_value()),
            }),
            image_tag_mutability: Some(Value::lit(props.image_tag_mutability.as_str())),
            encryption_configuration: Some(repository::EncryptionConfiguration {
                encryption_type: Some(Value::lit("AES256")),
                ..Default::default()
            }),
            lifecycle_policy,
            empty_on_delete: (props.empty_on_delete && removal_policy == RemovalPolicy::Destroy)
                .then(|| true.into_value()),
            ..Default::default()
        };
        stack.add_resource(id, &repository).removal_policy = Some(removal_policy);
    }
}

/// The lifecycle policy as the JSON text ECR takes, reporting rules it would reject.
fn lifecycle_policy_text(stack: &mut StackBuilder, id: &str, rules: &[LifecycleRule]) -> String {
    let mut rendered = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        let position = index + 1;
        let selection = match (rule.max_image_count, rule.max_image_age) {
            (Some(count), None) => {
                if count == 0 {
                    stack.report(format!(
                        "repository `{id}`: lifecycle rule {position} keeps 0 images; `max_image_count` must be at least 1"
                    ));
                }
                serde_json::json!({"countType": "imageCountMoreThan", "countNumber": count})
            }
            (None, Some(age)) => {
                let days = age.as_whole_days().filter(|d| *d > 0).unwrap_or_else(|| {
                    stack.report(format!(
                        "repository `{id}`: lifecycle rule {position}: `max_image_age` must be a whole number of days, e.g. `Duration::days(30)`"
                    ));
                    1
                });
                serde_json::json!({"countType": "sinceImagePushed", "countUnit": "days", "countNumber": days})
            }
            _ => {
                stack.report(format!(
                    "repository `{id}`: lifecycle rule {position} needs exactly one of `max_image_count` and `max_image_age`"
                ));
                serde_json::json!({"countType": "imageCountMoreThan", "countNumber": 1})
            }
        };
        let mut selection = match selection {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        selection.insert("tagStatus".into(), rule.tag_status.as_str().into());
        match (rule.tag_status, rule.tag_prefix_list.is_empty()) {
            (TagStatus::Tagged, true) => stack.report(format!(
                "repository `{id}`: lifecycle rule {position} selects tagged images, so it needs a `tag_prefix_list`"
            )),
            (TagStatus::Tagged, false) => {
                selection.insert("tagPrefixList".into(), rule.tag_prefix_list.clone().into());
            }
            (_, false) => stack.report(format!(
                "repository `{id}`: lifecycle rule {position}: `tag_prefix_list` needs `tag_status: TagStatus::Tagged`"
            )),
            (_, true) => {}
        }
        let mut entry = serde_json::Map::new();
        entry.insert("rulePriority".into(), position.into());
        if let Some(description) = &rule.description {
            entry.insert("description".into(), description.clone().into());
        }
        entry.insert("selection".into(), selection.into());
        entry.insert("action".into(), serde_json::json!({"type": "expire"}));
        rendered.push(serde_json::Value::Object(entry));
    }
    // An `any` rule must come last: ECR rejects a policy where it does not.
    if let Some(position) = rules
        .iter()
        .position(|r| r.tag_status == TagStatus::Any)
        .filter(|p| p + 1 < rules.len())
    {
        stack.report(format!(
            "repository `{id}`: lifecycle rule {} selects any image, so it must be the last rule",
            position + 1
        ));
    }
    serde_json::json!({ "rules": rendered }).to_string()
}

#[cfg(test)]
mod tests {
    // Repositories: secure defaults, lifecycle rules, grants and option checks.
    use super::*;
    use crate::expr::Expr;
    use serde_json::{json, Value as Json};

    fn build(props: RepositoryProps) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        Repository::declare("Images").build(props, &mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"]["Images"].clone())
            .map_err(|e| e.problems)
    }

    #[test]
    fn repository_scans_encrypts_and_is_retained() {
        let r = build(RepositoryProps::default()).unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(r["Type"], "AWS::ECR::Repository");
        assert_eq!(r["DeletionPolicy"], "Retain");
        assert_eq!(r["UpdateReplacePolicy"], "Retain");
        let p = &r["Properties"];
        assert_eq!(p["ImageScanningConfiguration"], json!({"ScanOnPush": true}));
        assert_eq!(p["ImageTagMutability"], "MUTABLE");
        assert_eq!(
            p["EncryptionConfiguration"],
            json!({"EncryptionType": "AES256"})
        );
        assert!(p.get("EmptyOnDelete").is_none());
        assert!(p.get("LifecyclePolicy").is_none());
    }

    #[test]
    fn lifecycle_rules_render_in_order() {
        let r = build(
            RepositoryProps::default()
                .repository_name("team/app")
                .image_tag_mutability(TagMutability::Immutable)
                .removal_policy(RemovalPolicy::Destroy)
                .empty_on_delete(true)
                .lifecycle_rules([
                    LifecycleRule::default()
                        .tag_status(TagStatus::Untagged)
                        .max_image_age(Duration::days(7))
                        .description("drop untagged"),
                    LifecycleRule::default()
                        .tag_status(TagStatus::Tagged)
                        .tag_prefix_list(["v"])
                        .max_image_count(20),
                    LifecycleRule::default().max_image_count(50),
                ]),
        )
        .unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(r["DeletionPolicy"], "Delete");
        let p = &r["Properties"];
        assert_eq!(p["RepositoryName"], "team/app");
        assert_eq!(p["ImageTagMutability"], "IMMUTABLE");
        assert_eq!(p["EmptyOnDelete"], true);
        let text = p["LifecyclePolicy"]["LifecyclePolicyText"]
            .as_str()
            .unwrap_or_default();
        let policy: Json = serde_json::from_str(text).unwrap_or_default();
        assert_eq!(
            policy,
            json!({"rules": [
                {"rulePriority": 1, "description": "drop untagged", "selection": {"countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7, "tagStatus": "untagged"}, "action": {"type": "expire"}},
                {"rulePriority": 2, "selection": {"countType": "imageCountMoreThan", "countNumber": 20, "tagStatus": "tagged", "tagPrefixList": ["v"]}, "action": {"type": "expire"}},
                {"rulePriority": 3, "selection": {"countType": "imageCountMoreThan", "countNumber": 50, "tagStatus": "any"}, "action": {"type": "expire"}}
            ]})
        );
    }

    #[test]
    fn grants_scope_image_actions_to_the_repository() {
        let repo = Repository::declare("Images");
        let pull = repo.grant_pull();
        assert_eq!(pull.statements[0].actions, ["ecr:GetAuthorizationToken"]);
        assert_eq!(pull.statements[0].resources, [Value::lit("*")]);
        assert_eq!(
            pull.statements[1].resources,
            [Value::get_att("Images", "Arn")]
        );
        assert!(pull.statements[1]
            .actions
            .contains(&"ecr:BatchGetImage".to_owned()));
        let push = repo.grant_push();
        assert!(!push.statements[1]
            .actions
            .contains(&"ecr:BatchGetImage".to_owned()));
        assert!(push.statements[1]
            .actions
            .contains(&"ecr:PutImage".to_owned()));
        let both = repo.grant_pull_push();
        assert_eq!(both.statements.len(), 2);
        let known = include_str!("../../../stack-spec/data/iam-actions.txt");
        for grant in [pull, push, both] {
            for action in grant.statements.iter().flat_map(|s| &s.actions) {
                assert!(known.lines().any(|l| l == action), "{action}");
            }
        }
        assert_eq!(super::super::catalog_grants("Repository").len(), 3);
    }

    #[test]
    fn invalid_options_are_reported() {
        let problems = build(
            RepositoryProps::default()
                .repository_name("Team_App")
                .empty_on_delete(true)
                .lifecycle_rules([
                    LifecycleRule::default().max_image_count(5),
                    LifecycleRule::default().tag_status(TagStatus::Tagged),
                    LifecycleRule::default()
                        .tag_prefix_list(["v"])
                        .max_image_count(1),
                ]),
        )
        .err()
        .unwrap_or_default();
        let expected = [
            "repository_name",
            "empty_on_delete",
            "needs a `tag_prefix_list`",
            "needs exactly one",
            "needs `tag_status: TagStatus::Tagged`",
            "must be the last rule",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for needle in expected {
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {problems:#?}"
            );
        }
    }

    #[test]
    fn attributes_are_typed_references() {
        let repo = Repository::declare("Images");
        assert_eq!(
            repo.arn().expr(),
            &Expr::GetAtt("Images".into(), "Arn".into())
        );
        assert_eq!(repo.name().expr(), &Expr::Ref("Images".into()));
        assert_eq!(
            repo.repository_uri().expr(),
            &Expr::GetAtt("Images".into(), "RepositoryUri".into())
        );
    }
}
