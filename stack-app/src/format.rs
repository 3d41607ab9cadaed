//! Numbers for people: sizes and counts.

/// `812 B`, `14.3 KiB`, `1.2 MiB`.
pub fn size(bytes: usize) -> String {
    const KIB: f64 = 1024.0;
    // Exact for any size below 2^53 bytes; beyond that a rounded figure is still right.
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / (KIB * KIB))
    }
}

/// `1 resource`, `22 resources`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    // Unit boundaries and plurals.
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(1024), "1.0 KiB");
        assert_eq!(size(14_643), "14.3 KiB");
        assert_eq!(size(3 * 1024 * 1024 / 2), "1.5 MiB");
    }

    #[test]
    fn counts() {
        assert_eq!(count(0, "resource"), "0 resources");
        assert_eq!(count(1, "resource"), "1 resource");
        assert_eq!(count(22, "resource"), "22 resources");
    }
}
