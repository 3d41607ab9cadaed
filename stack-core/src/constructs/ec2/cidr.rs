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
        let (address, prefix) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not a CIDR range; write it as `10.0.0.0/16`"))?;
        let octets: Vec<&str> = address.split('.').collect();
        let parsed: Vec<u8> = octets.iter().filter_map(|o| o.parse().ok()).collect();
        let (4, 4) = (octets.len(), parsed.len()) else {
            return Err(format!("`{text}` does not start with an IPv4 address"));
        };
        let address = parsed
            .iter()
            .fold(0u32, |acc, octet| (acc << 8) | u32::from(*octet));
        let prefix: u32 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= 32)
            .ok_or_else(|| format!("`{text}` has a prefix length outside 0 to 32"))?;
        let host_bits = 32 - prefix;
        let host_mask = if host_bits == 32 {
            u32::MAX
        } else {
            (1u32 << host_bits) - 1
        };
        if address & host_mask != 0 {
            return Err(format!(
                "`{text}` has host bits set; the range starts at `{}/{prefix}`",
                Self::format(address & !host_mask)
            ));
        }
        Ok(Self { address, prefix })
    }

    /// The `index`-th range of `prefix` bits inside this one.
    pub(super) fn nth(self, prefix: u32, index: u32) -> String {
        let size = 1u32.checked_shl(32 - prefix).unwrap_or(0);
        let address = self.address.wrapping_add(size.wrapping_mul(index));
        format!("{}/{prefix}", Self::format(address))
    }

    fn format(address: u32) -> String {
        let [a, b, c, d] = address.to_be_bytes();
        format!("{a}.{b}.{c}.{d}")
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
