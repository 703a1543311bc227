//! One running Cashdesk per data folder. Two (the app twice, or the app
//! and cashdesk-headless) would both run crash recovery and the outbox on
//! one database and race each other's decisions; the second is refused.
//! The lock is the OS's (`flock` through `File::try_lock`), so it goes
//! with the process however it ends, kill -9 included: no stale lock.

use crate::error::{CoreError, CoreResult};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

const FILE: &str = "cashdesk.lock";

/// Held for the life of the running core.
#[derive(Debug)]
pub(crate) struct DataLock(#[allow(dead_code)] File);

impl DataLock {
    pub(crate) fn acquire(dir: &Path) -> CoreResult<DataLock> {
        std::fs::create_dir_all(dir).map_err(|e| {
            CoreError::Invalid(format!(
                "could not create the data folder {}: {e}",
                dir.display()
            ))
        })?;
        let path = dir.join(FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| CoreError::Invalid(format!("could not open {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                return Err(CoreError::AlreadyRunning {
                    dir: dir.display().to_string(),
                    holder: holder.trim().to_owned(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(CoreError::Invalid(format!(
                    "could not lock {}: {e}",
                    path.display()
                )));
            }
        }
        // Who holds it, for the message the next one shows.
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = write!(file, "process {}", std::process::id());
        let _ = file.sync_all();
        Ok(DataLock(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_naming_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::acquire(dir.path()).unwrap();
        let err = DataLock::acquire(dir.path()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("already using"), "{text}");
        assert!(
            text.contains(&format!("process {}", std::process::id())),
            "{text}"
        );
        drop(first);
        DataLock::acquire(dir.path()).expect("free again once the first is gone");
    }
}
