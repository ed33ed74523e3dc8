//! Counting in words: "1 write", "6 writes" — singular and plural right everywhere.

/// `n` and the noun that goes with it: `counted(1, "write", "writes")` → "1 write".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The whole of `n` things: "the write" for one, "all 6 writes" for more.
pub fn all_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("the {one}")
    } else {
        format!("all {n} {many}")
    }
}

/// A task whose every write is in ConnectWise already (SPEC §15), in words.
pub fn already_in_connectwise(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!(
        "Already in ConnectWise: every write of this task is there (addition{} {}), written from this desk before or from another. Sync sends nothing and closes the task as synced.",
        if ids.len() == 1 { "" } else { "s" },
        ids.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_many() {
        assert_eq!(counted(0, "write", "writes"), "0 writes");
        assert_eq!(counted(1, "write", "writes"), "1 write");
        assert_eq!(counted(6, "problem", "problems"), "6 problems");
        assert_eq!(all_of(1, "write", "writes"), "the write");
        assert_eq!(all_of(3, "write", "writes"), "all 3 writes");
    }
}
