//! DNS records in Route 53 hosted zones: [`CnameRecord`], and [`ARecord`] aliases to a
//! load balancer or another AWS endpoint ([`AliasTarget`]).

use super::{literal_str, ApplicationLoadBalancedFargateService, Construct, Duration};
use crate::aws;
use crate::aws::route53::record_set;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Id, IntoValue, Value};

/// A CNAME's time to live when none is set: 30 minutes, as in CDK.
const DEFAULT_TTL_SECONDS: u64 = 1800;

/// The hosted zone of every CloudFront distribution, for alias records.
const CLOUDFRONT_ZONE_ID: &str = "Z2FDTNDATAQYW2";

/// What an alias record points at: the `DNSName` and `HostedZoneId` Route 53 resolves.
#[derive(Clone, Debug, PartialEq)]
pub struct AliasTarget {
    dns_name: Value<String>,
    hosted_zone_id: Value<String>,
    evaluate_target_health: bool,
}

impl AliasTarget {
    /// The load balancer of an [`ApplicationLoadBalancedFargateService`].
    pub fn load_balancer(service: &ApplicationLoadBalancedFargateService) -> Self {
        // `dualstack.` answers both A and AAAA queries, as AWS recommends for aliases
        // to load balancers.
        Self::new(
            Value::concat([Value::lit("dualstack."), service.load_balancer_dns_name()]),
            service.load_balancer_hosted_zone_id(),
        )
    }

    /// A CloudFront distribution, by its domain name (`d111111abcdef8.cloudfront.net`).
    pub fn cloudfront(domain_name: impl IntoValue<String>) -> Self {
        Self::new(domain_name, CLOUDFRONT_ZONE_ID)
    }

    /// Any alias target: its DNS name and the ID of the hosted zone AWS serves it from.
    pub fn new(dns_name: impl IntoValue<String>, hosted_zone_id: impl IntoValue<String>) -> Self {
        Self {
            dns_name: dns_name.into_value(),
            hosted_zone_id: hosted_zone_id.into_value(),
            evaluate_target_health: false,
        }
    }

    /// Whether Route 53 checks the target's health before answering with it (off
    /// unless set; useful only with several records for one name).
    #[must_use]
    pub fn evaluate_target_health(mut self, evaluate: bool) -> Self {
        self.evaluate_target_health = evaluate;
        self
    }
}

/// A CNAME record: `record_name` is another name for `domain_name`.
///
/// Resources: the record set `<Id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CnameRecord {
    id: String,
}

/// Options of a [`CnameRecord`]. `hosted_zone_id`, `record_name` and `domain_name` are
/// required.
#[derive(Clone, Debug, Default)]
pub struct CnameRecordProps {
    hosted_zone_id: Option<Value<Id<kind::route53::HostedZone>>>,
    record_name: Option<Value<String>>,
    domain_name: Option<Value<String>>,
    ttl: Option<Duration>,
    comment: Option<Value<String>>,
}

impl CnameRecordProps {
    /// The hosted zone the record goes in.
    #[must_use]
    pub fn hosted_zone_id(mut self, zone: impl IntoValue<Id<kind::route53::HostedZone>>) -> Self {
        self.hosted_zone_id = Some(zone.into_value());
        self
    }

    /// The record's fully qualified name, e.g. `"app.example.com"`; not the zone apex,
    /// where DNS forbids a CNAME.
    #[must_use]
    pub fn record_name(mut self, name: impl IntoValue<String>) -> Self {
        self.record_name = Some(name.into_value());
        self
    }

    /// The name the record points at, e.g. a load balancer's DNS name.
    #[must_use]
    pub fn domain_name(mut self, target: impl IntoValue<String>) -> Self {
        self.domain_name = Some(target.into_value());
        self
    }

    /// How long resolvers may cache the answer; 30 minutes when unset.
    #[must_use]
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// A comment stored with the record.
    #[must_use]
    pub fn comment(mut self, comment: impl IntoValue<String>) -> Self {
        self.comment = Some(comment.into_value());
        self
    }
}

impl CnameRecord {
    /// The record's name (`Ref`).
    pub fn domain_name(&self) -> Value<String> {
        Value::reference(&self.id)
    }
}

impl Construct for CnameRecord {
    type Props = CnameRecordProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: CnameRecordProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        let what = format!("CNAME record `{id}`");
        let zone = required(stack, &what, props.hosted_zone_id, "hosted_zone_id");
        let name = record_name(stack, &what, props.record_name);
        let target = props.domain_name.unwrap_or_else(|| {
            stack.report(format!(
                "{what} has no `domain_name`; add the name it points at"
            ));
            Value::lit("example.com")
        });
        if let Some(text) = literal_str(&target) {
            if let Err(why) = stack_spec::rules::route53::domain_name(text) {
                stack.report(format!("{what}: `domain_name` {why}"));
            }
        }
        let ttl = props.ttl.map_or(DEFAULT_TTL_SECONDS, Duration::as_seconds);
        if ttl > 2_147_483_647 {
            stack.report(format!("{what}: `ttl` is over Route 53's maximum"));
        }
        let record = aws::route53::RecordSet {
            hosted_zone_id: Some(zone),
            name: Some(name),
            r#type: Some(Value::lit("CNAME")),
            ttl: Some(Value::lit(ttl.to_string())),
            resource_records: Some(Value::list([target])),
            comment: props.comment,
            ..Default::default()
        };
        stack.add_resource(id, &record);
    }
}

/// An A record that aliases a load balancer, a CloudFront distribution or another AWS
/// endpoint: Route 53 answers with the target's current addresses, at no query cost.
///
/// Resources: the record set `<Id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ARecord {
    id: String,
}

/// Options of an [`ARecord`]. `hosted_zone_id`, `record_name` and `target` are required.
#[derive(Clone, Debug, Default)]
pub struct ARecordProps {
    hosted_zone_id: Option<Value<Id<kind::route53::HostedZone>>>,
    record_name: Option<Value<String>>,
    target: Option<AliasTarget>,
    comment: Option<Value<String>>,
}

impl ARecordProps {
    /// The hosted zone the record goes in.
    #[must_use]
    pub fn hosted_zone_id(mut self, zone: impl IntoValue<Id<kind::route53::HostedZone>>) -> Self {
        self.hosted_zone_id = Some(zone.into_value());
        self
    }

    /// The record's fully qualified name, e.g. `"app.example.com"` (the zone's own name
    /// for the apex).
    #[must_use]
    pub fn record_name(mut self, name: impl IntoValue<String>) -> Self {
        self.record_name = Some(name.into_value());
        self
    }

    /// What the record aliases: `AliasTarget::load_balancer(service)`.
    #[must_use]
    pub fn target(mut self, target: AliasTarget) -> Self {
        self.target = Some(target);
        self
    }

    /// A comment stored with the record.
    #[must_use]
    pub fn comment(mut self, comment: impl IntoValue<String>) -> Self {
        self.comment = Some(comment.into_value());
        self
    }
}

impl ARecord {
    /// The record's name (`Ref`).
    pub fn domain_name(&self) -> Value<String> {
        Value::reference(&self.id)
    }
}

impl Construct for ARecord {
    type Props = ARecordProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: ARecordProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        let what = format!("A record `{id}`");
        let zone = required(stack, &what, props.hosted_zone_id, "hosted_zone_id");
        let name = record_name(stack, &what, props.record_name);
        let target = props.target.unwrap_or_else(|| {
            stack.report(format!(
                "{what} has no `target`; add one, e.g. `target: AliasTarget::load_balancer(service)`"
            ));
            AliasTarget::new("example.com", "Z0000000000000")
        });
        let record = aws::route53::RecordSet {
            hosted_zone_id: Some(zone),
            name: Some(name),
            r#type: Some(Value::lit("A")),
            alias_target: Some(record_set::AliasTarget {
                dns_name: Some(target.dns_name),
                hosted_zone_id: Some(target.hosted_zone_id),
                evaluate_target_health: Some(target.evaluate_target_health.into_value()),
            }),
            comment: props.comment,
            ..Default::default()
        };
        stack.add_resource(id, &record);
    }
}

/// A required zone option, or a reported problem and a stand-in.
fn required<T>(
    stack: &mut StackBuilder,
    what: &str,
    value: Option<Value<T>>,
    option: &str,
) -> Value<String> {
    match value {
        Some(value) => Value::from_expr(value.into_expr()),
        None => {
            stack.report(format!(
                "{what} has no `{option}`; add the hosted zone's ID"
            ));
            Value::lit("")
        }
    }
}

/// The record name, checked when literal.
fn record_name(stack: &mut StackBuilder, what: &str, name: Option<Value<String>>) -> Value<String> {
    let Some(name) = name else {
        stack.report(format!(
            "{what} has no `record_name`; add the full name, e.g. `record_name: \"app.example.com\"`"
        ));
        return Value::lit("example.com");
    };
    if let Some(text) = literal_str(&name) {
        if let Err(why) = stack_spec::rules::route53::domain_name_or_wildcard(text) {
            stack.report(format!("{what}: `record_name` {why}"));
        }
    }
    name
}

#[cfg(test)]
mod tests {
    // DNS records: CNAME and alias rendering, and name checks.
    use super::*;
    use serde_json::json;

    fn resources(build: impl FnOnce(&mut StackBuilder)) -> serde_json::Value {
        let mut stack = StackBuilder::new("Test");
        build(&mut stack);
        match stack.finish() {
            Ok(s) => s.template.to_json()["Resources"].clone(),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn cname_points_at_the_target_with_a_ttl() {
        let r = resources(|stack| {
            CnameRecord::declare("Www").build(
                CnameRecordProps::default()
                    .hosted_zone_id("Z0123456789ABC")
                    .record_name("www.example.com")
                    .domain_name("example.com")
                    .comment("www"),
                stack,
            );
        });
        assert_eq!(
            r["Www"],
            json!({"Type": "AWS::Route53::RecordSet", "Properties": {
                "HostedZoneId": "Z0123456789ABC",
                "Name": "www.example.com",
                "Type": "CNAME",
                "TTL": "1800",
                "ResourceRecords": ["example.com"],
                "Comment": "www"
            }})
        );
    }

    #[test]
    fn alias_to_a_load_balancer_uses_its_zone() {
        let service = ApplicationLoadBalancedFargateService::declare("Web");
        let r = resources(|stack| {
            ARecord::declare("Apex").build(
                ARecordProps::default()
                    .hosted_zone_id("Z0123456789ABC")
                    .record_name("example.com")
                    .target(AliasTarget::load_balancer(&service)),
                stack,
            );
        });
        assert_eq!(
            r["Apex"]["Properties"]["AliasTarget"],
            json!({
                "DNSName": {"Fn::Sub": "dualstack.${WebLoadBalancer.DNSName}"},
                "HostedZoneId": {"Fn::GetAtt": ["WebLoadBalancer", "CanonicalHostedZoneID"]},
                "EvaluateTargetHealth": false
            })
        );
        assert_eq!(r["Apex"]["Properties"]["Type"], "A");
    }

    #[test]
    fn cloudfront_alias_uses_the_global_zone() {
        let target =
            AliasTarget::cloudfront("d111111abcdef8.cloudfront.net").evaluate_target_health(true);
        assert_eq!(target.hosted_zone_id, Value::lit(CLOUDFRONT_ZONE_ID));
        assert!(target.evaluate_target_health);
    }

    #[test]
    fn missing_and_bad_options_are_reported() {
        let mut stack = StackBuilder::new("Test");
        CnameRecord::declare("Www").build(
            CnameRecordProps::default().domain_name("bad name"),
            &mut stack,
        );
        ARecord::declare("Apex").build(
            ARecordProps::default().record_name("*.*.example.com"),
            &mut stack,
        );
        let problems = stack.finish().err().map(|e| e.problems).unwrap_or_default();
        assert_eq!(problems.len(), 6, "{problems:#?}");
    }
}
