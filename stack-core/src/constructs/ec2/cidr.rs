//! IPv4 address ranges, and the subnet ranges carved out of them.

pub(super) use stack_spec::rules::ec2::Ipv4Cidr;

/// The `index`-th range of `prefix` bits inside `cidr`.
pub(super) fn nth(cidr: Ipv4Cidr, prefix: u32, index: u32) -> String {
    let size = 1u32.checked_shl(32 - prefix).unwrap_or(0);
    let address = cidr.address.wrapping_add(size.wrapping_mul(index));
    format!(
        "{}/{prefix}",
        stack_spec::rules::ec2::format_address(address)
    )
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
        assert_eq!(nth(cidr, 18, 3), "10.1.192.0/18");
        assert_eq!(nth(cidr, 24, 255), "10.1.255.0/24");
        assert!(Ipv4Cidr::parse("256.0.0.0/8").is_err());
        assert!(Ipv4Cidr::parse("0.0.0.0/0").is_ok());
        assert!(Ipv4Cidr::parse("10.0.0.0/33").is_err());
    }
}
