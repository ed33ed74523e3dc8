//! Where a saved file goes (SPEC §18): the file the person chose in the save dialog, or a folder
//! (the tests', or where a dialog cannot be shown) under the proposed, dated name.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// Where a saved file goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Into this folder, under the proposed name.
    Folder(PathBuf),
    /// This file, as the person chose it.
    File(PathBuf),
}

impl From<PathBuf> for Destination {
    fn from(dir: PathBuf) -> Self {
        Destination::Folder(dir)
    }
}

impl Destination {
    /// The file's path, with `proposed` as its name in a folder.
    pub fn path(&self, proposed: &str) -> PathBuf {
        match self {
            Destination::Folder(dir) => dir.join(proposed),
            Destination::File(path) => path.clone(),
        }
    }
}

/// Writes `text` to `to` (its folder created if needed); where it went.
pub fn write(to: &Destination, proposed: &str, text: &str) -> Result<PathBuf> {
    let path = to.path(proposed);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::File(format!(
                "The folder {} could not be created to save the CSV: {e}",
                dir.display()
            ))
        })?;
    }
    std::fs::write(&path, text).map_err(|e| {
        Error::File(format!(
            "The CSV could not be saved to {}: {e}",
            path.display()
        ))
    })?;
    Ok(path)
}

/// A name as proposed for a file of `what` saved `today`: `agreement-sync-<what>-<yyyy-mm-dd>.csv`.
pub fn dated_name(what: &str, today: chrono::NaiveDate) -> String {
    format!("agreement-sync-{what}-{}.csv", today.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_takes_the_proposed_name_and_a_chosen_file_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let into = Destination::Folder(dir.path().join("new"));
        let path = write(&into, "a.csv", "x").unwrap();
        assert_eq!(path, dir.path().join("new").join("a.csv"));
        let chosen = Destination::File(dir.path().join("mine.csv"));
        assert_eq!(
            write(&chosen, "a.csv", "y").unwrap(),
            dir.path().join("mine.csv")
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("mine.csv")).unwrap(),
            "y"
        );
        let folder = Destination::File(dir.path().to_path_buf());
        assert!(folder.path("a.csv").is_dir());
        let refused = write(&folder, "a.csv", "z").unwrap_err().to_string();
        assert!(refused.contains("could not be saved"), "{refused}");
    }
}
