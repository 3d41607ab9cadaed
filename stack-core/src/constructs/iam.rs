//! IAM roles: [`Role`], assumed by services or accounts, with managed and inline policies,
//! and [`IamRoleRef`], what options that take a role (an API's credentials role) accept.

use super::{lit, literal_str, obj, Construct, Duration};
use crate::aws;
use crate::aws::iam::role;
use crate::expr::Expr;
use crate::handle::Handle;
use crate::iam::{Grant, PolicyDocument, Principal, Statement};
use crate::kind;
use crate::resource::Resource;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};

/// The inline policy that the stack's `grant`s write to; user policies may not take its name.
const GRANTS_POLICY: &str = "Grants";

/// AWS managed policies that live under `service-role/`: naming one without the prefix is
/// a common mistake that only fails at deploy time.
const SERVICE_ROLE_POLICIES: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AmazonECSTaskExecutionRolePolicy",
    "AmazonEC2ContainerServiceforEC2Role",
    "AmazonElasticMapReduceRole",
    "AmazonElasticMapReduceforEC2Role",
    "AmazonEMRServicePolicy_v2",
    "AWSGlueServiceRole",
    "AmazonAPIGatewayPushToCloudWatchLogs",
    "AWSIoTRuleActions",
];

/// A role of this stack, known by logical ID: a [`Role`] construct, or a declared
/// `AWS::IAM::Role` (its handle, or the `Ref` a bare name lowers to inside `stack!`).
pub trait IamRoleRef {
    /// The role's logical ID, or `None` when the value does not name a role of this stack.
    fn iam_role_logical_id(&self) -> Option<&str>;
}

impl IamRoleRef for Role {
    fn iam_role_logical_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

impl<T: IamRoleRef + ?Sized> IamRoleRef for &T {
    fn iam_role_logical_id(&self) -> Option<&str> {
        (**self).iam_role_logical_id()
    }
}

impl<R: Resource<Kind = kind::iam::Role>> IamRoleRef for Handle<R> {
    fn iam_role_logical_id(&self) -> Option<&str> {
        Some(self.logical_id())
    }
}

impl IamRoleRef for Value<Id<kind::iam::Role>> {
    fn iam_role_logical_id(&self) -> Option<&str> {
        match self.expr() {
            Expr::Ref(id) => Some(id),
            _ => None,
        }
    }
}

/// Who may assume a role: `Principals { services: ["lambda.amazonaws.com"] }`. Several
/// services together make a composite principal.
#[derive(Clone, Debug, Default)]
pub struct Principals {
    services: Vec<Value<String>>,
    accounts: Vec<Value<String>>,
    arns: Vec<Value<String>>,
    external_id: Option<Value<String>>,
    source_account: bool,
    source_arn: Option<Value<String>>,
}

impl Principals {
    /// Service principals, e.g. `["lambda.amazonaws.com", "bedrock.amazonaws.com"]`.
    #[must_use]
    pub fn services(mut self, services: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.services = services.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Whole accounts, by 12-digit ID: any identity those accounts allow may assume the role.
    #[must_use]
    pub fn accounts(mut self, accounts: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.accounts = accounts.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Specific roles or users, by ARN.
    #[must_use]
    pub fn arns(mut self, arns: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.arns = arns.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// The external ID that `accounts` and `arns` must present (`sts:ExternalId`), against
    /// the confused-deputy problem when a third party assumes the role.
    #[must_use]
    pub fn external_id(mut self, external_id: impl IntoValue<String>) -> Self {
        self.external_id = Some(external_id.into_value());
        self
    }

    /// Whether the `services` may assume the role only on behalf of this stack's account
    /// (`aws:SourceAccount`), against the cross-service confused-deputy problem: another
    /// account's resource cannot make the service act as this role.
    ///
    /// Only for services that send the key when they assume a role (ECS tasks, SageMaker,
    /// and others their documentation names): IAM treats a missing key as a mismatch, so
    /// the role could not be assumed at all. Lambda does not send it for an execution
    /// role.
    #[must_use]
    pub fn source_account(mut self, only_this_account: bool) -> Self {
        self.source_account = only_this_account;
        self
    }

    /// The resources on whose behalf the `services` may assume the role
    /// (`ArnLike` `aws:SourceArn`; `*` and `?` are wildcards), e.g.
    /// `sub!("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*")`. The same
    /// caution as for `source_account`: only for services that send the key.
    #[must_use]
    pub fn source_arn(mut self, arn: impl IntoValue<String>) -> Self {
        self.source_arn = Some(arn.into_value());
        self
    }

    fn is_empty(&self) -> bool {
        self.services.is_empty() && self.accounts.is_empty() && self.arns.is_empty()
    }

    /// The trust policy: one statement for services (which alone carries the source
    /// conditions), one for accounts and ARNs (which alone carries the external ID
    /// condition, since services never send one).
    pub(crate) fn trust_policy(&self) -> Expr {
        let mut statements = Vec::new();
        if !self.services.is_empty() {
            let mut statement =
                assume_statement(obj([("Service", one_or_list(self.services.clone()))]));
            let mut conditions = Vec::new();
            if let Some(arn) = &self.source_arn {
                conditions.push((
                    "ArnLike".to_owned(),
                    obj([("aws:SourceArn", arn.clone().into_expr())]),
                ));
            }
            if self.source_account {
                conditions.push((
                    "StringEquals".to_owned(),
                    obj([("aws:SourceAccount", Expr::Ref("AWS::AccountId".into()))]),
                ));
            }
            if let (false, Expr::Map(entries)) = (conditions.is_empty(), &mut statement) {
                entries.push(("Condition".into(), Expr::Map(conditions)));
            }
            statements.push(statement);
        }
        let aws: Vec<Value<String>> = self
            .accounts
            .iter()
            .map(|account| {
                Value::concat([
                    Value::lit("arn:"),
                    crate::pseudo::partition(),
                    Value::lit(":iam::"),
                    account.clone(),
                    Value::lit(":root"),
                ])
            })
            .chain(self.arns.iter().cloned())
            .collect();
        if !aws.is_empty() {
            let mut statement = assume_statement(obj([("AWS", one_or_list(aws))]));
            if let (Some(external_id), Expr::Map(entries)) = (&self.external_id, &mut statement) {
                entries.push((
                    "Condition".into(),
                    obj([(
                        "StringEquals",
                        obj([("sts:ExternalId", external_id.clone().into_expr())]),
                    )]),
                ));
            }
            statements.push(statement);
        }
        obj([
            ("Version", lit("2012-10-17")),
            ("Statement", Expr::List(statements)),
        ])
    }
}

fn assume_statement(principal: Expr) -> Expr {
    obj([
        ("Effect", lit("Allow")),
        ("Principal", principal),
        ("Action", lit("sts:AssumeRole")),
    ])
}

fn one_or_list(mut values: Vec<Value<String>>) -> Expr {
    if values.len() == 1 {
        values.remove(0).into_expr()
    } else {
        Value::list(values).into_expr()
    }
}

/// A named inline policy of a role: `InlinePolicy { name: "bedrock", statements: [...] }`.
#[derive(Clone, Debug, Default)]
pub struct InlinePolicy {
    name: Option<Value<String>>,
    statements: Vec<Statement>,
}

impl InlinePolicy {
    /// The policy's name, unique within the role.
    #[must_use]
    pub fn name(mut self, name: impl IntoValue<String>) -> Self {
        self.name = Some(name.into_value());
        self
    }

    /// The policy's statements, e.g. `[Statement::allow(["bedrock:InvokeModel"], ["*"])]`.
    #[must_use]
    pub fn statements(mut self, statements: impl IntoIterator<Item = Statement>) -> Self {
        self.statements = statements.into_iter().collect();
        self
    }
}

/// An IAM role.
///
/// One resource, `<Id>` (`AWS::IAM::Role`): the trust policy, managed policies and inline
/// policies all live on it (no separate `AWS::IAM::Policy` resources). `grant`s to the
/// role are added as one more inline policy, `Grants`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    id: String,
}

/// Options of a [`Role`]. `assumed_by` is required.
#[derive(Clone, Debug, Default)]
pub struct RoleProps {
    assumed_by: Option<Principals>,
    role_name: Option<Value<String>>,
    description: Option<Value<String>>,
    managed_policies: Vec<Value<String>>,
    inline_policies: Vec<InlinePolicy>,
    max_session_duration: Option<Duration>,
}

impl RoleProps {
    /// Who may assume the role: `Principals { services: ["lambda.amazonaws.com"] }`.
    #[must_use]
    pub fn assumed_by(mut self, principals: Principals) -> Self {
        self.assumed_by = Some(principals);
        self
    }

    /// The role's physical name; CloudFormation generates one when unset. Setting it
    /// requires `CAPABILITY_NAMED_IAM`, and a change that replaces the role fails until
    /// it is renamed.
    #[must_use]
    pub fn role_name(mut self, name: impl IntoValue<String>) -> Self {
        self.role_name = Some(name.into_value());
        self
    }

    /// A description shown in the console.
    #[must_use]
    pub fn description(mut self, description: impl IntoValue<String>) -> Self {
        self.description = Some(description.into_value());
        self
    }

    /// Managed policies. A name such as `"service-role/AWSLambdaBasicExecutionRole"` is an
    /// AWS managed policy, made an ARN in the stack's partition; a full ARN is used as
    /// written (`arn:aws:` literals are made partition-independent too).
    #[must_use]
    pub fn managed_policies(
        mut self,
        policies: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.managed_policies = policies.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Named inline policies: `[InlinePolicy { name: "bedrock", statements: [...] }]`.
    #[must_use]
    pub fn inline_policies(mut self, policies: impl IntoIterator<Item = InlinePolicy>) -> Self {
        self.inline_policies = policies.into_iter().collect();
        self
    }

    /// How long sessions of the role may last: 1 to 12 hours; IAM's default is 1 hour.
    #[must_use]
    pub fn max_session_duration(mut self, duration: Duration) -> Self {
        self.max_session_duration = Some(duration);
        self
    }
}

impl Role {
    /// The role's ARN.
    pub fn arn(&self) -> Value<Arn<kind::iam::Role>> {
        Value::get_att(&self.id, "Arn")
    }

    /// The role's name (`Ref`).
    pub fn name(&self) -> Value<Id<kind::iam::Role>> {
        Value::reference(&self.id)
    }

    /// `pass`: hand this role to a service (`iam:PassRole` on this role only), e.g. to
    /// start an EMR cluster or a SageMaker job that runs as it.
    pub fn grant_pass(&self) -> Grant {
        Grant::new([Statement::allow(["iam:PassRole"], [self.arn()])])
    }
}

impl Principal for Role {
    fn role_logical_id(&self) -> &str {
        &self.id
    }
}

impl Construct for Role {
    type Props = RoleProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: RoleProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        let principals = props.assumed_by.unwrap_or_default();
        if principals.is_empty() {
            stack.report(format!(
                "role `{id}` has no `assumed_by`; add e.g. `assumed_by: Principals {{ services: [\"lambda.amazonaws.com\"] }}`"
            ));
        }
        check_principals(stack, id, &principals);
        if let Some(name) = props.role_name.as_ref().and_then(literal_str) {
            if let Err(why) = stack_spec::rules::iam::role_name(name) {
                stack.report(format!("role `{id}`: `role_name` {why}"));
            }
        }
        if let Some(duration) = props.max_session_duration {
            if !(3600..=43_200).contains(&duration.as_seconds()) {
                stack.report(format!(
                    "role `{id}`: `max_session_duration` is {} s; IAM accepts 1 to 12 hours",
                    duration.as_seconds()
                ));
            }
        }
        if props.managed_policies.len() > 20 {
            stack.report(format!(
                "role `{id}` has {} managed policies; IAM attaches at most 20 to a role",
                props.managed_policies.len()
            ));
        }
        let managed: Vec<_> = props
            .managed_policies
            .into_iter()
            .map(|policy| managed_policy_arn(stack, id, policy))
            .collect();
        let policies = inline_policies(stack, id, props.inline_policies);

        let role = aws::iam::Role {
            assume_role_policy_document: Some(Value::from_expr(principals.trust_policy())),
            role_name: props.role_name,
            description: props.description,
            managed_policy_arns: (!managed.is_empty()).then(|| Value::list(managed)),
            policies: (!policies.is_empty()).then_some(policies),
            max_session_duration: props.max_session_duration.map(|duration| {
                i64::try_from(duration.as_seconds())
                    .unwrap_or(i64::MAX)
                    .into_value()
            }),
            ..Default::default()
        };
        stack.add_resource(id, &role);
    }
}

/// Reports principals IAM would reject.
fn check_principals(stack: &mut StackBuilder, id: &str, principals: &Principals) {
    for service in principals.services.iter().filter_map(literal_str) {
        if !service.contains('.') {
            stack.report(format!(
                "role `{id}`: service principal `{service}` is not a service endpoint; did you mean `{service}.amazonaws.com`?"
            ));
        }
    }
    for account in principals.accounts.iter().filter_map(literal_str) {
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            stack.report(format!(
                "role `{id}`: account `{account}` is not a 12-digit AWS account ID"
            ));
        }
    }
    for arn in principals.arns.iter().filter_map(literal_str) {
        if !arn.starts_with("arn:") {
            stack.report(format!(
                "role `{id}`: principal `{arn}` is not an ARN; list account IDs under `accounts`"
            ));
        }
    }
    if principals.external_id.is_some()
        && principals.accounts.is_empty()
        && principals.arns.is_empty()
    {
        stack.report(format!(
            "role `{id}`: `external_id` applies to `accounts` and `arns`, and there are none"
        ));
    }
    if (principals.source_account || principals.source_arn.is_some())
        && principals.services.is_empty()
    {
        stack.report(format!(
            "role `{id}`: `source_account` and `source_arn` apply to `services`, and there are none; for `accounts` and `arns` use `external_id`"
        ));
    }
    if let Some(arn) = principals.source_arn.as_ref().and_then(literal_str) {
        if let Err(why) = stack_spec::rules::iam::source_arn(arn) {
            stack.report(format!("role `{id}`: `source_arn` {why}"));
        }
    }
}

/// The ARN of a managed policy: a name becomes an AWS managed policy in the stack's
/// partition; an `arn:aws:` literal is made partition-independent. Any other value is
/// taken as the ARN it should be.
fn managed_policy_arn(
    stack: &mut StackBuilder,
    id: &str,
    policy: Value<String>,
) -> Value<Arn<kind::iam::ManagedPolicy>> {
    let Some(text) = literal_str(&policy) else {
        return Value::from_expr(policy.into_expr());
    };
    if let Some(rest) = text.strip_prefix("arn:aws:") {
        return Value::sub(format!("arn:${{AWS::Partition}}:{rest}"));
    }
    if text.starts_with("arn:") {
        return Value::from_expr(policy.into_expr());
    }
    let name = text.trim_start_matches('/');
    if SERVICE_ROLE_POLICIES.contains(&name) {
        stack.report(format!(
            "role `{id}`: the AWS managed policy `{name}` is a service-role policy; write `service-role/{name}`"
        ));
    }
    let valid = !name.is_empty()
        && name
            .split('/')
            .all(|part| stack_spec::rules::iam::is_name(part, 128));
    if !valid {
        stack.report(format!(
            "role `{id}`: `{text}` is not a managed policy name (e.g. `ReadOnlyAccess`, `service-role/AWSLambdaBasicExecutionRole`) or ARN"
        ));
    }
    Value::sub(format!("arn:${{AWS::Partition}}:iam::aws:policy/{name}"))
}

/// Renders the inline policies, reporting unnamed, empty and duplicate ones.
fn inline_policies(
    stack: &mut StackBuilder,
    id: &str,
    policies: Vec<InlinePolicy>,
) -> Vec<role::Policy> {
    let mut names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for policy in policies {
        let name = policy.name.unwrap_or_else(|| {
            stack.report(format!(
                "role `{id}`: an inline policy has no `name`; add `name: \"...\"`"
            ));
            Value::lit("")
        });
        if let Some(text) = literal_str(&name) {
            if text == GRANTS_POLICY {
                stack.report(format!(
                    "role `{id}`: the inline policy name `{GRANTS_POLICY}` is reserved for the stack's grants; choose another"
                ));
            } else if !text.is_empty() && !stack_spec::rules::iam::is_name(text, 128) {
                stack.report(format!(
                    "role `{id}`: inline policy name `{text}` must be 1 to 128 letters, digits or `+=,.@_-`"
                ));
            }
            if names.iter().any(|n| n == text) {
                stack.report(format!(
                    "role `{id}`: two inline policies are named `{text}`"
                ));
            }
            names.push(text.to_owned());
        }
        if policy.statements.is_empty() {
            stack.report(format!("role `{id}`: an inline policy has no `statements`"));
        }
        out.push(role::Policy {
            policy_document: Some(Value::from_expr(
                PolicyDocument::new(policy.statements).to_expr(),
            )),
            policy_name: Some(name),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    // Roles: trust policies, managed and inline policies, grants and option checks.
    use super::*;
    use crate::constructs::{Bucket, BucketProps};
    use serde_json::{json, Value as Json};

    fn build(props: RoleProps) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        Role::declare("Chat").build(props, &mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"].clone())
            .map_err(|e| e.problems)
    }

    fn ok(props: RoleProps) -> Json {
        build(props).unwrap_or_else(|problems| panic!("{problems:#?}"))
    }

    fn problems(props: RoleProps) -> Vec<String> {
        build(props).err().unwrap_or_default()
    }

    #[test]
    fn composite_service_principal_with_managed_and_inline_policies() {
        let r = ok(RoleProps::default()
            .role_name("chat-role")
            .description("chat")
            .assumed_by(
                Principals::default().services(["lambda.amazonaws.com", "bedrock.amazonaws.com"]),
            )
            .managed_policies([
                "service-role/AWSLambdaBasicExecutionRole",
                "arn:aws:iam::aws:policy/AWSLambdaExecute",
            ])
            .inline_policies([InlinePolicy::default()
                .name("bedrock")
                .statements([Statement::allow(["bedrock:InvokeModel"], ["*"])])])
            .max_session_duration(Duration::hours(2)));
        assert_eq!(r.as_object().map(|m| m.len()), Some(1));
        let p = &r["Chat"]["Properties"];
        assert_eq!(
            p["AssumeRolePolicyDocument"],
            json!({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": ["lambda.amazonaws.com", "bedrock.amazonaws.com"]},
                "Action": "sts:AssumeRole"
            }]})
        );
        assert_eq!(
            p["ManagedPolicyArns"],
            json!([
                {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
                {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AWSLambdaExecute"}
            ])
        );
        assert_eq!(
            p["Policies"],
            json!([{"PolicyName": "bedrock", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*"}
            ]}}])
        );
        assert_eq!(p["RoleName"], "chat-role");
        assert_eq!(p["MaxSessionDuration"], 7200);
    }

    #[test]
    fn accounts_and_arns_get_their_own_statement_with_the_external_id() {
        let r = ok(RoleProps::default().assumed_by(
            Principals::default()
                .services(["ec2.amazonaws.com"])
                .accounts(["123456789012"])
                .arns(["arn:aws:iam::210987654321:role/ops"])
                .external_id("shared-secret-id"),
        ));
        let statements = &r["Chat"]["Properties"]["AssumeRolePolicyDocument"]["Statement"];
        assert_eq!(
            statements[0]["Principal"],
            json!({"Service": "ec2.amazonaws.com"})
        );
        assert!(statements[0].get("Condition").is_none());
        assert_eq!(
            statements[1],
            json!({
                "Effect": "Allow",
                "Principal": {"AWS": [
                    {"Fn::Sub": "arn:${AWS::Partition}:iam::123456789012:root"},
                    "arn:aws:iam::210987654321:role/ops"
                ]},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": "shared-secret-id"}}
            })
        );
    }

    #[test]
    fn services_may_be_held_to_this_account_and_a_source_arn() {
        let r = ok(RoleProps::default().assumed_by(
            Principals::default()
                .services(["scheduler.amazonaws.com"])
                .accounts(["123456789012"])
                .source_account(true)
                .source_arn("arn:aws:scheduler:eu-west-1:123456789012:schedule/*"),
        ));
        let statements = &r["Chat"]["Properties"]["AssumeRolePolicyDocument"]["Statement"];
        assert_eq!(
            statements[0],
            json!({
                "Effect": "Allow",
                "Principal": {"Service": "scheduler.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "ArnLike": {"aws:SourceArn": "arn:aws:scheduler:eu-west-1:123456789012:schedule/*"},
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
                }
            })
        );
        // The account principal does not send source keys: its statement has none.
        assert!(statements[1].get("Condition").is_none());

        let r = ok(RoleProps::default().assumed_by(
            Principals::default()
                .services(["sagemaker.amazonaws.com"])
                .source_account(true),
        ));
        assert_eq!(
            r["Chat"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"],
            json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}})
        );
    }

    #[test]
    fn grants_to_the_role_land_in_its_grants_policy() {
        let role = Role::declare("Chat");
        let bucket = Bucket::declare("Docs");
        let mut stack = StackBuilder::new("Test");
        role.build(
            RoleProps::default()
                .assumed_by(Principals::default().services(["lambda.amazonaws.com"])),
            &mut stack,
        );
        bucket.build(BucketProps::default(), &mut stack);
        stack.grant(&role, bucket.grant_read());
        stack.grant(&role, role.grant_pass());
        let r = match stack.finish() {
            Ok(s) => s.template.to_json()["Resources"].clone(),
            Err(e) => panic!("{e}"),
        };
        let policy = &r["Chat"]["Properties"]["Policies"][0];
        assert_eq!(policy["PolicyName"], "Grants");
        assert_eq!(
            policy["PolicyDocument"]["Statement"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        // A role's own ARN in its inline policy would be a circular reference: that grant
        // goes into a separate policy attached to the role.
        let separate = &r["ChatDefaultPolicy"]["Properties"];
        assert_eq!(separate["Roles"], json!([{"Ref": "Chat"}]));
        assert_eq!(
            separate["PolicyDocument"]["Statement"][0],
            json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"Fn::GetAtt": ["Chat", "Arn"]}})
        );
    }

    #[test]
    fn role_references_name_the_role() {
        let role = Role::declare("Chat");
        assert_eq!(
            role.arn().expr(),
            &Expr::GetAtt("Chat".into(), "Arn".into())
        );
        assert_eq!(role.name().expr(), &Expr::Ref("Chat".into()));
        let by_ref: &dyn IamRoleRef = &&role;
        assert_eq!(by_ref.iam_role_logical_id(), Some("Chat"));
        let l1: Value<Id<kind::iam::Role>> = Value::reference("Legacy");
        assert_eq!(l1.iam_role_logical_id(), Some("Legacy"));
        let other: Value<Id<kind::iam::Role>> = Value::from_expr(lit("name"));
        assert_eq!(other.iam_role_logical_id(), None);
    }

    #[test]
    fn mistakes_are_reported() {
        let found = problems(
            RoleProps::default()
                .role_name("bad name!")
                .managed_policies(["AWSLambdaBasicExecutionRole", "not a policy"])
                .inline_policies([
                    InlinePolicy::default().name("Grants").statements([]),
                    InlinePolicy::default(),
                ])
                .max_session_duration(Duration::minutes(10)),
        );
        for needle in [
            "no `assumed_by`",
            "`role_name`",
            "service-role/AWSLambdaBasicExecutionRole",
            "`not a policy`",
            "reserved",
            "no `name`",
            "no `statements`",
            "`max_session_duration`",
        ] {
            assert!(
                found.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {found:#?}"
            );
        }
        let found = problems(
            RoleProps::default().assumed_by(
                Principals::default()
                    .services(["lambda"])
                    .accounts(["1234"])
                    .arns(["role/ops"]),
            ),
        );
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].contains("lambda.amazonaws.com"), "{found:#?}");
        let found = problems(
            RoleProps::default().assumed_by(
                Principals::default()
                    .accounts(["123456789012"])
                    .source_account(true)
                    .source_arn("*"),
            ),
        );
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].contains("`source_account` and `source_arn` apply to `services`"),
            "{found:#?}"
        );
        assert!(
            found[1].contains("`source_arn` `*` matches every source"),
            "{found:#?}"
        );
    }
}
