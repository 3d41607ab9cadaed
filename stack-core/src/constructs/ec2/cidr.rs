//! IPv4 address ranges, and the subnet ranges carved out of them.

/// An IPv4 range `a.b.c.d/prefix`, parsed from a literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Ipv4Cidr {
    address: u32,
    pub(super) prefix: u32,
}

impl Ipv4Cidr {
    /// Parses `a.b.c.d/n`; the host bits must be zero.
    pub(super) fn parse(text: &str) -> Result<Self, String> {
        let parsed = stack_spec::rules::ec2::Ipv4Cidr::parse(text)?;
        Ok(Self {
            address: parsed.address,
            prefix: parsed.prefix,
        })
    }

    /// The `index`-th range of `prefix` bits inside this one.
    pub(super) fn nth(self, prefix: u32, index: u32) -> String {
        let size = 1u32.checked_shl(32 - prefix).unwrap_or(0);
        let address = self.address.wrapping_add(size.wrapping_mul(index));
        format!("{}/{prefix}", Self::format(address))
    }

    fn format(address: u32) -> String {
        stack_spec::rules::ec2::format_address(address)
    }
}

/// A well-formed range to keep building with after a reported one.
pub(super) fn fallback_cidr() -> Ipv4Cidr {
    Ipv4Cidr {
        address: 10 << 24,
        prefix: 16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_arithmetic() {
        let cidr = Ipv4Cidr::parse("10.1.0.0/16").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cidr.nth(18, 3), "10.1.192.0/18");
        assert_eq!(cidr.nth(24, 255), "10.1.255.0/24");
        assert!(Ipv4Cidr::parse("256.0.0.0/8").is_err());
        assert!(Ipv4Cidr::parse("0.0.0.0/0").is_ok());
        assert!(Ipv4Cidr::parse("10.0.0.0/33").is_err());
    }
}
