//! One data folder, one app process (SPEC §15), with the real app binary: a start on a folder
//! another process holds says so and ends without touching it; on a desktop, a second start on
//! the same folder shows the first one's window and ends quietly, while an app on another folder
//! runs alongside.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use agreement_sync_core::data_lock::{DataLock, DataLockError, LOCK_FILE};

const APP: &str = env!("CARGO_BIN_EXE_agreement-sync");
const DATA_DIR_ENV: &str = "AGREEMENT_SYNC_DATA_DIR";

/// `child`'s exit status, waiting up to `limit` (then it is ended and the test fails).
fn exit_within(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("the process can be waited for") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_start_on_a_data_folder_another_process_holds_says_so_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // This test process holds the folder, as a running app would.
    let _held = DataLock::take(dir.path(), Duration::ZERO).unwrap();
    let started = Instant::now();
    // No display here, as on a build server: the folder is checked before any window.
    let mut app = Command::new(APP)
        .env(DATA_DIR_ENV, dir.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the app starts");
    let status = exit_within(&mut app, Duration::from_secs(30), "the second start");
    let took = started.elapsed();
    let output = app.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(status.code(), Some(1), "{status}; stderr: {stderr}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let expected = DataLockError::InUse {
        folder: dir.path().to_path_buf(),
        pid: Some(std::process::id()),
    }
    .to_string();
    assert_eq!(stderr.trim(), expected);
    assert!(
        stderr.contains(&format!(
            "Agreement Sync is already open on the data folder {} (process {})",
            dir.path().display(),
            std::process::id()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("Nothing was changed."), "{stderr}");
    // No log started, no cache opened: the folder holds the lock file alone, still naming us.
    assert!(output.stdout.is_empty(), "{:?}", output.stdout);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, [LOCK_FILE]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join(LOCK_FILE))
            .unwrap()
            .trim(),
        std::process::id().to_string()
    );
}

/// Set when this test binary runs again inside its own desktop session (below).
const IN_DESKTOP_ENV: &str = "AGREEMENT_SYNC_TEST_IN_DESKTOP";

/// The desktop test, run again inside a private session bus (`dbus-run-session`) and X display
/// (`xvfb-run`), as the end-to-end tests are: never the computer's own.
#[test]
fn on_a_desktop_a_second_start_shows_the_first_window_and_another_folder_runs_alongside() {
    if std::env::var_os(IN_DESKTOP_ENV).is_some() {
        desktop_scenario();
        return;
    }
    let this_test =
        "on_a_desktop_a_second_start_shows_the_first_window_and_another_folder_runs_alongside";
    // The session's own files (what its bus starts may write) and everything it says, kept
    // here: said only when the scenario fails.
    let home = tempfile::tempdir().unwrap();
    let said = home.path().join("session.txt");
    let out = File::create(&said).unwrap();
    let mut session = Command::new("dbus-run-session")
        .args(["--", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24"])
        .arg(std::env::current_exe().unwrap())
        .args([this_test, "--exact", "--nocapture", "--test-threads=1"])
        .env(IN_DESKTOP_ENV, "1")
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        // The session's bus and display run on the real clock (see `make test-moved-clock`).
        .env_remove("LD_PRELOAD")
        .env_remove("FAKETIME")
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .unwrap_or_else(|e| {
            panic!("this test needs dbus-run-session and xvfb-run (`make deps`): {e}")
        });
    let status = exit_within(
        &mut session,
        Duration::from_secs(300),
        "the desktop session",
    );
    if !status.success() {
        let said = std::fs::read_to_string(&said).unwrap_or_default();
        // What the scenario's own assertion said comes first: the session's bus and display say
        // a lot around it.
        let why: Vec<&str> = said
            .lines()
            .skip_while(|line| !line.contains("panicked at"))
            .take(12)
            .collect();
        panic!(
            "the desktop scenario failed ({status}): {}\n\neverything the session said:\n{said}",
            why.join("\n")
        );
    }
}

/// Apps started by the desktop scenario, ended when it ends (also when it fails).
struct Apps {
    children: Vec<Child>,
    output: tempfile::TempDir,
}

impl Apps {
    /// Starts the app on `data_dir`; its output goes to a file named after `name`.
    fn start(&mut self, name: &str, data_dir: &Path) -> usize {
        let out = File::create(self.output_path(name)).unwrap();
        let child = Command::new(APP)
            .env(DATA_DIR_ENV, data_dir)
            .env("AGREEMENT_SYNC_TODAY", "2026-11-24")
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("the app starts");
        self.children.push(child);
        self.children.len() - 1
    }

    fn output_path(&self, name: &str) -> PathBuf {
        self.output.path().join(format!("{name}.txt"))
    }

    fn output_of(&self, name: &str) -> String {
        std::fs::read_to_string(self.output_path(name)).unwrap_or_default()
    }

    fn pid(&self, app: usize) -> u32 {
        self.children[app].id()
    }

    fn is_running(&mut self, app: usize) -> bool {
        self.children[app].try_wait().unwrap().is_none()
    }

    /// Waits until `app` has said `words` (in its output).
    fn wait_until_said(&mut self, app: usize, name: &str, words: &str) {
        let deadline = Instant::now() + Duration::from_secs(90);
        while !self.output_of(name).contains(words) {
            assert!(
                self.is_running(app),
                "{name} ended before saying {words:?}: {}",
                self.output_of(name)
            );
            assert!(
                Instant::now() < deadline,
                "{name} did not say {words:?}: {}",
                self.output_of(name)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until `app` holds `data_dir` (its lock file names it).
    fn wait_until_holding(&mut self, app: usize, name: &str, data_dir: &Path) {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Err(DataLockError::InUse { pid: Some(pid), .. }) = DataLock::check(data_dir) {
                if pid == self.pid(app) {
                    return;
                }
            }
            assert!(
                self.is_running(app),
                "{name} ended before holding its data folder: {}",
                self.output_of(name)
            );
            assert!(
                Instant::now() < deadline,
                "{name} did not take its data folder: {}",
                self.output_of(name)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Apps {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Inside the private desktop session.
fn desktop_scenario() {
    let folder_a = tempfile::tempdir().unwrap();
    let folder_b = tempfile::tempdir().unwrap();
    let mut apps = Apps {
        children: Vec::new(),
        output: tempfile::tempdir().unwrap(),
    };

    let first = apps.start("first", folder_a.path());
    apps.wait_until_holding(first, "first", folder_a.path());
    // The folder is taken before the app has started (its log begins once it runs): a second
    // start is made once the first is open, as a person would.
    apps.wait_until_said(first, "first", "Agreement Sync starting");

    // A second start on the same folder hands over to the first and ends quietly.
    let second = apps.start("second", folder_a.path());
    let status = exit_within(
        &mut apps.children[second],
        Duration::from_secs(60),
        "the second start on the same folder",
    );
    let said = apps.output_of("second");
    assert!(status.success(), "{status}: {said}");
    assert!(!said.contains("already open"), "{said}");
    assert!(apps.is_running(first), "{}", apps.output_of("first"));
    // The first was asked to show its window.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !apps
        .output_of("first")
        .contains("started again on this data folder")
    {
        assert!(
            Instant::now() < deadline,
            "the first app was not asked to show its window: {}",
            apps.output_of("first")
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The folder is still the first's.
    assert_eq!(
        DataLock::check(folder_a.path()),
        Err(DataLockError::InUse {
            folder: folder_a.path().to_path_buf(),
            pid: Some(apps.pid(first)),
        })
    );

    // An app on another folder runs alongside.
    let other = apps.start("other", folder_b.path());
    apps.wait_until_holding(other, "other", folder_b.path());
    apps.wait_until_said(other, "other", "Agreement Sync starting");
    std::thread::sleep(Duration::from_secs(2));
    assert!(apps.is_running(other), "{}", apps.output_of("other"));
    assert!(apps.is_running(first), "{}", apps.output_of("first"));
}
