//! One running Cashdesk per data folder: a second one (the app twice, or
//! the app and cashdesk-headless) is refused with a message naming the
//! first, instead of racing its crash recovery and outbox. A killed core
//! leaves no stale lock behind.

#[path = "../../core/tests/common/mod.rs"]
mod common;
#[path = "support/headless.rs"]
mod headless;

use cashdesk_core::Cashdesk;
use cashdesk_core::error::CoreError;
use common::*;
use headless::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_second_core_on_one_data_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let first = Headless::start(dir.path(), port, None);

    // The app (in-process core) on the same folder.
    let err = match Cashdesk::start(config(dir.path())).await {
        Err(e) => e,
        Ok(_) => panic!("a second core started on one data folder"),
    };
    assert!(matches!(err, CoreError::AlreadyRunning { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("already using the data folder"), "{text}");
    assert!(text.contains("process "), "names the holder: {text}");

    // A second headless on the same folder (another port, so only the
    // folder is shared).
    let printed = Headless::refused(dir.path(), free_port());
    assert!(
        printed.contains("already using the data folder"),
        "{printed}"
    );

    // kill -9 leaves no stale lock: the next one starts.
    first.kill9();
    let again = Cashdesk::start(config(dir.path())).await.unwrap();
    again.shutdown().await;
}
