//! One data folder, one app process (SPEC §15): a lock file in the data folder that the running
//! app holds for its whole life, so a second process never opens the same cache.
//!
//! The lock is the operating system's own lock on an open file (`File::try_lock`): it goes away
//! with the process, however that ends, so a crash never leaves a folder locked. The file keeps
//! the holder's process id, only to name it in the message a second start shows; what the file
//! says is never trusted for anything else (an empty, stale or unreadable one is fine).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name in the data folder.
pub const LOCK_FILE: &str = "agreement-sync.lock";

/// How often a wait for the lock tries again.
const RETRY_EVERY: Duration = Duration::from_millis(50);

/// Why the data folder cannot be had. Nothing was changed in the folder in either case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataLockError {
    /// Another Agreement Sync process holds the folder.
    #[error(
        "Agreement Sync is already open on the data folder {}{}. Switch to that window, or close \
         it and start Agreement Sync again. Nothing was changed.",
        .folder.display(),
        .pid.map(|pid| format!(" (process {pid})")).unwrap_or_default()
    )]
    InUse {
        folder: PathBuf,
        /// The holder's process id, when the lock file could be read.
        pid: Option<u32>,
    },
    /// The folder or its lock file cannot be created, opened or locked.
    #[error(
        "The data folder {} can't be used: {reason}. Nothing was changed.",
        .folder.display()
    )]
    Unusable { folder: PathBuf, reason: String },
}

/// The data folder, held: no other process can take it until this is dropped (or the process
/// ends).
#[derive(Debug)]
pub struct DataLock {
    /// The locked file; the lock lives as long as it is open.
    _file: File,
    folder: PathBuf,
}

impl DataLock {
    /// Takes `folder` (creating it when missing) and writes this process's id into the lock file.
    /// When another process holds it, tries again for up to `patience` (an app that is closing
    /// lets go within moments), then gives up with [`DataLockError::InUse`].
    pub fn take(folder: &Path, patience: Duration) -> Result<DataLock, DataLockError> {
        let mut file = open_locked(folder, patience)?;
        // Only for the message another start shows: a pid that could not be written is no reason
        // to refuse the folder.
        let _ = write_pid(&mut file);
        Ok(DataLock {
            _file: file,
            folder: folder.to_path_buf(),
        })
    }

    /// Whether `folder` is free now, without keeping it or writing anything: the lock is taken
    /// and let go at once. A folder that does not exist yet is free (and is created).
    pub fn check(folder: &Path) -> Result<(), DataLockError> {
        open_locked(folder, Duration::ZERO).map(drop)
    }

    /// The folder held.
    pub fn folder(&self) -> &Path {
        &self.folder
    }
}

/// The lock file of `folder`, locked by this open file; retried until `patience` is spent.
fn open_locked(folder: &Path, patience: Duration) -> Result<File, DataLockError> {
    let unusable = |what: &str, e: std::io::Error| DataLockError::Unusable {
        folder: folder.to_path_buf(),
        reason: format!("{what} ({e})"),
    };
    std::fs::create_dir_all(folder).map_err(|e| unusable("it could not be created", e))?;
    let path = folder.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| unusable(&format!("its lock file {LOCK_FILE} could not be opened"), e))?;
    let deadline = Instant::now() + patience;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(RETRY_EVERY);
            }
            Err(TryLockError::WouldBlock) => {
                return Err(DataLockError::InUse {
                    folder: folder.to_path_buf(),
                    pid: read_pid(&mut file),
                });
            }
            Err(TryLockError::Error(e)) => {
                return Err(unusable(
                    &format!("its lock file {LOCK_FILE} could not be locked"),
                    e,
                ));
            }
        }
    }
}

fn write_pid(file: &mut File) -> std::io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    writeln!(file, "{}", std::process::id())?;
    file.sync_data()
}

/// The holder's process id, if the file says one (it may not be readable while locked, on some
/// systems, or may hold anything at all).
fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(64).read_to_string(&mut text).ok()?;
    text.trim().parse().ok().filter(|pid| *pid != 0)
}

/// A short name for `folder` that stays the same from run to run and from build to build: 16
/// hex digits of a hash (FNV-1a, 64 bits) of its canonical path, so two spellings of one folder
/// (a symbolic link, `a/../b`) share it and two folders don't. Used to name the running app of
/// one data folder to the system (the single-instance bus name).
pub fn folder_key(folder: &Path) -> String {
    let path = std::fs::canonicalize(folder)
        .or_else(|_| std::path::absolute(folder))
        .unwrap_or_else(|_| folder.to_path_buf());
    format!("{:016x}", fnv1a_64(path.as_os_str().as_encoded_bytes()))
}

/// FNV-1a, 64 bits: tiny, and the same everywhere, unlike std's hasher (which may change). Also
/// what shortens a key too long for ConnectWise (`ledger`).
pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_use_pid(result: Result<DataLock, DataLockError>) -> Option<u32> {
        match result {
            Err(DataLockError::InUse { pid, .. }) => pid,
            other => panic!("expected the folder in use, got {other:?}"),
        }
    }

    #[test]
    fn a_second_taker_is_refused_with_the_folder_and_the_holders_process_id() {
        let dir = tempfile::tempdir().unwrap();
        let held = DataLock::take(dir.path(), Duration::ZERO).unwrap();
        assert_eq!(held.folder(), dir.path());
        // Another open of the same file (as another process would) cannot lock it.
        let refused = DataLock::take(dir.path(), Duration::ZERO).unwrap_err();
        assert_eq!(
            refused,
            DataLockError::InUse {
                folder: dir.path().to_path_buf(),
                pid: Some(std::process::id()),
            }
        );
        let message = refused.to_string();
        assert!(
            message.starts_with("Agreement Sync is already open on the data folder"),
            "{message}"
        );
        assert!(
            message.contains(&dir.path().display().to_string()),
            "{message}"
        );
        assert!(
            message.contains(&format!("(process {})", std::process::id())),
            "{message}"
        );
        assert!(message.ends_with("Nothing was changed."), "{message}");
        assert!(DataLock::check(dir.path()).is_err());
        // The refusals left the holder's id in place.
        let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert_eq!(text.trim(), std::process::id().to_string());
    }

    #[test]
    fn dropping_the_lock_lets_the_next_taker_have_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::take(dir.path(), Duration::ZERO).unwrap();
        assert!(DataLock::check(dir.path()).is_err());
        drop(first);
        DataLock::check(dir.path()).unwrap();
        let second = DataLock::take(dir.path(), Duration::ZERO).unwrap();
        assert!(DataLock::take(dir.path(), Duration::ZERO).is_err());
        drop(second);
        DataLock::take(dir.path(), Duration::ZERO).unwrap();
    }

    #[test]
    fn a_check_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        DataLock::check(dir.path()).unwrap();
        DataLock::check(dir.path()).unwrap();
        // The lock file exists but says nothing: a check writes no process id.
        assert_eq!(std::fs::read(dir.path().join(LOCK_FILE)).unwrap(), b"");
        DataLock::take(dir.path(), Duration::ZERO).unwrap();
    }

    #[test]
    fn a_taker_waits_for_a_holder_that_lets_go_within_its_patience() {
        let dir = tempfile::tempdir().unwrap();
        let held = DataLock::take(dir.path(), Duration::ZERO).unwrap();
        let closing = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            drop(held);
        });
        let started = Instant::now();
        DataLock::take(dir.path(), Duration::from_secs(10)).unwrap();
        assert!(started.elapsed() >= Duration::from_millis(150));
        closing.join().unwrap();
    }

    #[test]
    fn a_taker_gives_up_when_its_patience_is_spent() {
        let dir = tempfile::tempdir().unwrap();
        let _held = DataLock::take(dir.path(), Duration::ZERO).unwrap();
        let started = Instant::now();
        let refused = DataLock::take(dir.path(), Duration::from_millis(300));
        assert_eq!(in_use_pid(refused), Some(std::process::id()));
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(300), "{waited:?}");
        assert!(waited < Duration::from_secs(5), "{waited:?}");
    }

    #[test]
    fn a_missing_folder_is_created_and_taken() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("new").join("data");
        let held = DataLock::take(&folder, Duration::ZERO).unwrap();
        assert!(folder.join(LOCK_FILE).is_file());
        assert!(DataLock::take(&folder, Duration::ZERO).is_err());
        drop(held);
    }

    #[test]
    fn whatever_the_lock_file_holds_is_no_problem() {
        let dir = tempfile::tempdir().unwrap();
        let lock_file = dir.path().join(LOCK_FILE);
        let garbage: [&[u8]; 6] = [
            b"",
            b"\xff\xfe\x00not a process id",
            b"0\n",
            b"-12\n",
            b"99999999999999999999\n",
            &[b'7'; 10_000],
        ];
        for garbage in garbage {
            // Left by anything: the next start takes the folder and writes its own id.
            std::fs::write(&lock_file, garbage).unwrap();
            let held = DataLock::take(dir.path(), Duration::ZERO).unwrap();
            let text = std::fs::read_to_string(&lock_file).unwrap();
            assert_eq!(text, format!("{}\n", std::process::id()));
            drop(held);
        }
    }

    // Rewriting a locked file from outside works where locks are advisory (Unix).
    #[cfg(unix)]
    #[test]
    fn a_holder_whose_file_says_nothing_readable_is_still_refused_without_a_process_id() {
        let dir = tempfile::tempdir().unwrap();
        let _held = DataLock::take(dir.path(), Duration::ZERO).unwrap();
        let garbage: [&[u8]; 3] = [b"", b"\xff\xfe garbage", b"0"];
        for garbage in garbage {
            std::fs::write(dir.path().join(LOCK_FILE), garbage).unwrap();
            let refused = DataLock::take(dir.path(), Duration::ZERO);
            let message = refused.as_ref().unwrap_err().to_string();
            assert_eq!(in_use_pid(refused), None);
            assert!(!message.contains("process"), "{message}");
            assert!(
                message.contains(&dir.path().display().to_string()),
                "{message}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_that_cannot_be_created_is_unusable_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a file");
        std::fs::write(&file, b"").unwrap();
        let folder = file.join("data");
        let error = DataLock::take(&folder, Duration::ZERO).unwrap_err();
        assert!(
            matches!(&error, DataLockError::Unusable { folder: f, .. } if *f == folder),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("can't be used"), "{message}");
        assert!(message.ends_with("Nothing was changed."), "{message}");
    }

    #[test]
    fn the_hash_is_fnv_1a_as_published() {
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn a_folder_key_is_short_stable_and_the_same_for_two_spellings_of_one_folder() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let key = folder_key(&a);
        assert_eq!(key.len(), 16);
        assert!(key
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(folder_key(&a), key);
        assert_eq!(folder_key(&b.join("..").join("a")), key);
        assert_ne!(folder_key(&b), key);
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&a, &link).unwrap();
            assert_eq!(folder_key(&link), key);
        }
        // A folder that is not there keeps its absolute path's key.
        let missing = Path::new("/nonexistent-agreement-sync/a");
        assert_eq!(
            folder_key(missing),
            format!("{:016x}", fnv1a_64(b"/nonexistent-agreement-sync/a"))
        );
    }
}
