//! Amazon EC2 and VPC: CIDR ranges and ports.

/// The prefix lengths a VPC's range may have.
pub const VPC_PREFIX: std::ops::RangeInclusive<u32> = 16..=28;

/// An IPv4 range `a.b.c.d/prefix`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Cidr {
    /// The first address, host bits zero.
    pub address: u32,
    /// The prefix length, 0 to 32.
    pub prefix: u32,
}

impl Ipv4Cidr {
    /// Parses `a.b.c.d/n`; the host bits must be zero.
    pub fn parse(text: &str) -> Result<Self, String> {
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
                format_address(address & !host_mask)
            ));
        }
        Ok(Self { address, prefix })
    }
}

/// `a.b.c.d` of an address.
pub fn format_address(address: u32) -> String {
    let [a, b, c, d] = address.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

/// A VPC's range: an IPv4 CIDR with a prefix length from 16 to 28.
pub fn vpc_cidr(text: &str) -> Result<Ipv4Cidr, String> {
    let cidr = Ipv4Cidr::parse(text)?;
    if VPC_PREFIX.contains(&cidr.prefix) {
        Ok(cidr)
    } else {
        Err(format!(
            "`{text}` must have a prefix length from {} to {}, e.g. `\"10.0.0.0/16\"`",
            VPC_PREFIX.start(),
            VPC_PREFIX.end()
        ))
    }
}

/// A TCP or UDP port a service listens on: 1 to 65535.
pub fn port(port: i64) -> Result<(), String> {
    if (1..=65_535).contains(&port) {
        Ok(())
    } else {
        Err(format!("is {port}; a port is 1 to 65535"))
    }
}

#[cfg(test)]
mod tests {
    // CIDR parsing, host bits and the VPC prefix range; ports.
    use super::*;

    #[test]
    fn cidrs() {
        assert_eq!(
            Ipv4Cidr::parse("10.0.0.0/16"),
            Ok(Ipv4Cidr {
                address: 0x0A00_0000,
                prefix: 16
            })
        );
        assert!(Ipv4Cidr::parse("10.0.0.1/16")
            .expect_err("rejected")
            .contains("`10.0.0.0/16`"));
        assert!(Ipv4Cidr::parse("10.0.0/16").is_err());
        assert!(Ipv4Cidr::parse("10.0.0.0/33").is_err());
        assert!(Ipv4Cidr::parse("10.0.0.0").is_err());
        assert!(vpc_cidr("10.0.0.0/8").is_err());
        assert!(vpc_cidr("10.0.0.0/28").is_ok());
    }

    #[test]
    fn ports() {
        assert!(port(443).is_ok());
        assert!(port(0).is_err());
        assert!(port(70_000).is_err());
    }
}
