//! An empty Tauri 2 window: nothing but a static page. The benchmark's
//! reference for what Tauri and WebKitGTK cost before Cashdesk adds anything.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("the empty shell could not open its window: {e}");
            std::process::exit(1);
        });
}
