//! TLS certificates: [`Certificate`], a public ACM certificate validated through DNS.

use super::{literal_str, Construct};
use crate::aws;
use crate::aws::certificatemanager::certificate::DomainValidationOption;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};

/// A public ACM certificate, validated through DNS.
///
/// With `hosted_zone_id`, CloudFormation writes the validation records into that Route 53
/// zone itself and the certificate is issued during the deployment, with no helper
/// resources. Without it, the deployment waits until someone adds the records shown in
/// the ACM console to the domain's DNS.
///
/// Resources: the certificate `<Id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    id: String,
}

/// Options of a [`Certificate`]. `domain_name` is required.
#[derive(Clone, Debug, Default)]
pub struct CertificateProps {
    domain_name: Option<Value<String>>,
    subject_alternative_names: Vec<Value<String>>,
    hosted_zone_id: Option<Value<Id<kind::route53::HostedZone>>>,
}

impl CertificateProps {
    /// The fully qualified name the certificate is for, e.g. `"app.example.com"` or
    /// `"*.example.com"`.
    #[must_use]
    pub fn domain_name(mut self, name: impl IntoValue<String>) -> Self {
        self.domain_name = Some(name.into_value());
        self
    }

    /// More names the certificate covers, in the same hosted zone.
    #[must_use]
    pub fn subject_alternative_names(
        mut self,
        names: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.subject_alternative_names = names.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// The Route 53 hosted zone that holds the names, so validation is automatic.
    #[must_use]
    pub fn hosted_zone_id(mut self, zone: impl IntoValue<Id<kind::route53::HostedZone>>) -> Self {
        self.hosted_zone_id = Some(zone.into_value());
        self
    }
}

impl Certificate {
    /// The certificate's ARN (`Ref`).
    pub fn arn(&self) -> Value<Arn<kind::certificatemanager::Certificate>> {
        Value::reference(&self.id)
    }
}

#[diagnostic::do_not_recommend]
impl IntoValue<Arn<kind::certificatemanager::Certificate>> for &Certificate {
    fn into_value(self) -> Value<Arn<kind::certificatemanager::Certificate>> {
        self.arn()
    }
}

impl Construct for Certificate {
    type Props = CertificateProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: CertificateProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        let domain = props.domain_name.unwrap_or_else(|| {
            stack.report(format!(
                "certificate `{id}` has no `domain_name`; add one, e.g. `domain_name: \"app.example.com\"`"
            ));
            Value::lit("example.com")
        });
        for name in std::iter::once(&domain).chain(&props.subject_alternative_names) {
            if let Some(text) = literal_str(name) {
                if let Err(why) = stack_spec::rules::route53::domain_name_or_wildcard(text) {
                    stack.report(format!("certificate `{id}`: domain name {why}"));
                }
            }
        }
        if props.subject_alternative_names.len() > 99 {
            stack.report(format!(
                "certificate `{id}`: ACM allows at most 100 names per certificate"
            ));
        }

        let names = || std::iter::once(&domain).chain(&props.subject_alternative_names);
        let certificate = aws::certificatemanager::Certificate {
            domain_validation_options: props.hosted_zone_id.as_ref().map(|zone| {
                names()
                    .map(|name| DomainValidationOption {
                        domain_name: Some(name.clone()),
                        hosted_zone_id: Some(zone.clone().into_value()),
                        ..Default::default()
                    })
                    .collect()
            }),
            subject_alternative_names: (!props.subject_alternative_names.is_empty())
                .then(|| Value::list(props.subject_alternative_names.clone())),
            validation_method: Some(Value::lit("DNS")),
            domain_name: Some(domain.clone()),
            ..Default::default()
        };
        stack.add_resource(id, &certificate);
    }
}

#[cfg(test)]
mod tests {
    // Certificates: DNS validation wiring and name checks.
    use super::*;
    use crate::expr::Expr;
    use serde_json::json;

    #[test]
    fn hosted_zone_validates_every_name() {
        let mut stack = StackBuilder::new("Test");
        Certificate::declare("Cert").build(
            CertificateProps::default()
                .domain_name("app.example.com")
                .subject_alternative_names(["www.example.com"])
                .hosted_zone_id("Z0123456789ABC"),
            &mut stack,
        );
        let template = stack
            .finish()
            .unwrap_or_else(|e| panic!("{e}"))
            .template
            .to_json();
        assert_eq!(
            template["Resources"]["Cert"],
            json!({
                "Type": "AWS::CertificateManager::Certificate",
                "Properties": {
                    "DomainName": "app.example.com",
                    "SubjectAlternativeNames": ["www.example.com"],
                    "ValidationMethod": "DNS",
                    "DomainValidationOptions": [
                        {"DomainName": "app.example.com", "HostedZoneId": "Z0123456789ABC"},
                        {"DomainName": "www.example.com", "HostedZoneId": "Z0123456789ABC"}
                    ]
                }
            })
        );
        assert_eq!(
            Certificate::declare("Cert").arn().expr(),
            &Expr::Ref("Cert".into())
        );
    }

    #[test]
    fn without_a_zone_validation_is_left_to_the_owner() {
        let mut stack = StackBuilder::new("Test");
        Certificate::declare("Cert").build(
            CertificateProps::default().domain_name("*.example.com"),
            &mut stack,
        );
        let template = stack
            .finish()
            .unwrap_or_else(|e| panic!("{e}"))
            .template
            .to_json();
        let p = &template["Resources"]["Cert"]["Properties"];
        assert_eq!(p["ValidationMethod"], "DNS");
        assert!(p.get("DomainValidationOptions").is_none());
    }

    #[test]
    fn bad_names_are_reported() {
        let mut stack = StackBuilder::new("Test");
        Certificate::declare("Cert").build(
            CertificateProps::default().subject_alternative_names(["a.*.example.com", "x..y"]),
            &mut stack,
        );
        let problems = stack.finish().err().map(|e| e.problems).unwrap_or_default();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(problems[0].contains("domain_name"), "{problems:#?}");
    }
}
