//! [`StaticWebsite`]: a private S3 bucket served over HTTPS by CloudFront under your own
//! domain, with its certificate and DNS record.
//!
//! It is a construct written outside `stack_core`, the way any crate can write one, and a
//! `stack!` block declares it like a built-in one:
//!
//! ```
//! use stack_core::prelude::*;
//! use static_website::StaticWebsite;
//!
//! stack! {
//!     pub stack Site {
//!         resource site: StaticWebsite {
//!             domain_name: "www.example.com",
//!             hosted_zone_id: "Z0123456789EXAMPLE",
//!         }
//!         output url = site.url;
//!     }
//! }
//!
//! let site = Site::new("Site");
//! assert!(site.synthesized().is_ok());
//! ```

use stack_core::constructs::{
    ARecord, ARecordProps, AliasTarget, Behavior, Bucket, BucketProps, Certificate,
    CertificateProps, Construct, ConstructProps, Distribution, DistributionProps, Origin,
    PriceClass,
};
use stack_core::iam::Grant;
use stack_core::{kind, Arn, Id, RemovalPolicy, StackBuilder, Value};

/// A static website: the content bucket `<Id>Bucket` (private, encrypted, TLS only), the
/// CloudFront distribution `<Id>` that serves it through an origin access control, the
/// ACM certificate `<Id>Certificate` for the domain, validated in its hosted zone, and
/// the alias record `<Id>Record` pointing the domain at the distribution.
///
/// CloudFront takes certificates from `us-east-1` only, so the stack that holds the site
/// is deployed there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticWebsite {
    id: String,
}

/// Options of a [`StaticWebsite`]. `domain_name` and `hosted_zone_id` are required.
#[derive(Clone, Debug, Default, ConstructProps)]
pub struct StaticWebsiteProps {
    /// The site's domain name, e.g. `"www.example.com"`.
    #[option(required)]
    domain_name: Option<Value<String>>,
    /// The Route 53 hosted zone the domain belongs to: the certificate is validated and
    /// the record written there.
    #[option(required)]
    hosted_zone_id: Option<Value<Id<kind::route53::HostedZone>>>,
    /// The object served for `/`; `index.html` when unset.
    index_document: Option<Value<String>>,
    /// Which edge locations serve the site; all when unset.
    price_class: Option<PriceClass>,
    /// What happens to the content bucket when the stack deletes it; `Retain` when unset,
    /// so the content outlives the stack unless you opt out.
    removal_policy: Option<RemovalPolicy>,
}

impl StaticWebsite {
    /// The site's address, `https://<domain_name>`.
    pub fn url(&self) -> Value<String> {
        Value::concat([Value::lit("https://"), self.record().domain_name()])
    }

    /// The content bucket's name.
    pub fn bucket_name(&self) -> Value<Id<kind::s3::Bucket>> {
        self.bucket().name()
    }

    /// The content bucket's ARN.
    pub fn bucket_arn(&self) -> Value<Arn<kind::s3::Bucket>> {
        self.bucket().arn()
    }

    /// The distribution's ID, for invalidations.
    pub fn distribution_id(&self) -> Value<Id<kind::cloudfront::Distribution>> {
        self.distribution().distribution_id()
    }

    /// The distribution's own domain name, `<id>.cloudfront.net`.
    pub fn distribution_domain_name(&self) -> Value<String> {
        self.distribution().domain_name()
    }

    /// `read`: list the bucket and read its objects.
    pub fn grant_read(&self) -> Grant {
        self.bucket().grant_read()
    }

    /// `deploy`: what a deployment job needs: write and delete the bucket's objects and
    /// invalidate the distribution's cache.
    pub fn grant_deploy(&self) -> Grant {
        let mut grant = self.bucket().grant_read_write();
        grant
            .statements
            .extend(self.distribution().grant_invalidate().statements);
        grant
    }

    fn bucket(&self) -> Bucket {
        Bucket::declare(&format!("{}Bucket", self.id))
    }

    fn certificate(&self) -> Certificate {
        Certificate::declare(&format!("{}Certificate", self.id))
    }

    fn distribution(&self) -> Distribution {
        Distribution::declare(&self.id)
    }

    fn record(&self) -> ARecord {
        ARecord::declare(&format!("{}Record", self.id))
    }
}

impl Construct for StaticWebsite {
    type Props = StaticWebsiteProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: StaticWebsiteProps, stack: &mut StackBuilder) {
        let (Some(domain), Some(zone)) = (props.domain_name, props.hosted_zone_id) else {
            stack.report(format!(
                "static website `{}` needs `domain_name` and `hosted_zone_id`",
                self.id
            ));
            return;
        };
        let bucket = self.bucket();
        let mut bucket_props = BucketProps::default();
        if let Some(policy) = props.removal_policy {
            bucket_props = bucket_props.removal_policy(policy);
        }
        bucket.build(bucket_props, stack);

        let certificate = self.certificate();
        certificate.build(
            CertificateProps::default()
                .domain_name(domain.clone())
                .hosted_zone_id(zone.clone()),
            stack,
        );

        let distribution = self.distribution();
        let mut distribution_props = DistributionProps::default()
            .default_behavior(Behavior::default().origin(Origin::s3(&bucket)))
            .default_root_object(
                props
                    .index_document
                    .unwrap_or_else(|| Value::lit("index.html")),
            )
            .domain_names([domain.clone()])
            .certificate_arn(certificate.arn());
        if let Some(class) = props.price_class {
            distribution_props = distribution_props.price_class(class);
        }
        distribution.build(distribution_props, stack);

        self.record().build(
            ARecordProps::default()
                .hosted_zone_id(zone)
                .record_name(domain)
                .target(AliasTarget::cloudfront(distribution.domain_name())),
            stack,
        );
    }
}

#[cfg(test)]
mod tests {
    // The construct's resources and wiring, built directly through its Rust API.
    use super::*;

    #[test]
    fn builds_bucket_certificate_distribution_and_record() {
        let mut stack = StackBuilder::new("Site");
        let site = StaticWebsite::declare("Site");
        site.build(
            StaticWebsiteProps::default()
                .domain_name("www.example.com")
                .hosted_zone_id("Z0123456789EXAMPLE"),
            &mut stack,
        );
        let template = match stack.finish() {
            Ok(synthesized) => synthesized.template.to_json(),
            Err(e) => panic!("{e}"),
        };
        let resources = &template["Resources"];
        for (id, ty) in [
            ("SiteBucket", "AWS::S3::Bucket"),
            ("SiteCertificate", "AWS::CertificateManager::Certificate"),
            ("Site", "AWS::CloudFront::Distribution"),
            ("SiteRecord", "AWS::Route53::RecordSet"),
        ] {
            assert_eq!(resources[id]["Type"], ty, "{id}");
        }
        let config = &resources["Site"]["Properties"]["DistributionConfig"];
        assert_eq!(config["DefaultRootObject"], "index.html");
        assert_eq!(config["Aliases"], serde_json_list("www.example.com"));
    }

    #[test]
    fn a_site_without_its_domain_is_reported() {
        let mut stack = StackBuilder::new("Site");
        StaticWebsite::declare("Site").build(StaticWebsiteProps::default(), &mut stack);
        assert!(stack.finish().is_err());
    }

    fn serde_json_list(item: &str) -> stack_core::__private::serde_json::Value {
        stack_core::__private::serde_json::json!([item])
    }
}
