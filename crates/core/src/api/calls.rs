//! Every desktop command by name: the one table the desktop's IPC and the
//! team desk server both call, so a command exists once and a desktop on
//! a team desk sends the server exactly what it would run locally.
//! Arguments arrive as the window sends them (a JSON object, camelCase
//! keys); answers leave as JSON.

use super::ApiResult;
use super::dto::{ApiError, ErrorCode};
use crate::app::Cashdesk;
use serde_json::Value;

/// Declares the table: `"name" => |app, arg: Type, …| body;` where `body`
/// evaluates to an `ApiResult` (and may `.await`).
macro_rules! calls {
    ($( $name:literal => |$app:ident $(, $arg:ident : $ty:ty)* $(,)?| $body:expr ;)*) => {
        /// Every command's name, for the shells and their tests.
        pub const NAMES: &[&str] = &[$($name),*];

        /// Runs command `cmd` with `args` at `app`'s seat.
        pub async fn call(app: &Cashdesk, cmd: &str, args: Value) -> ApiResult<Value> {
            match cmd {
                $($name => {
                    #[derive(serde::Deserialize)]
                    #[serde(rename_all = "camelCase")]
                    struct Args { $($arg: $ty),* }
                    let Args { $($arg),* } = args_of($name, args)?;
                    let $app = app;
                    answer($body)
                })*
                _ => Err(ApiError {
                    code: ErrorCode::NotFound,
                    message: format!("No such command: {cmd}"),
                }),
            }
        }
    };
}

/// A command's arguments as the window sent them (none is `{}`); a
/// mismatch names the command. Shared with the desktop's own commands.
pub(crate) fn args_of<T: serde::de::DeserializeOwned>(cmd: &str, args: Value) -> ApiResult<T> {
    let args = if args.is_null() {
        Value::Object(Default::default())
    } else {
        args
    };
    serde_json::from_value(args).map_err(|e| super::invalid(format!("{cmd}: {e}")))
}

fn answer<T: serde::Serialize>(r: ApiResult<T>) -> ApiResult<Value> {
    json(r?)
}

/// A command's answer as JSON.
pub(crate) fn json<T: serde::Serialize>(v: T) -> ApiResult<Value> {
    serde_json::to_value(v).map_err(|e| ApiError {
        code: ErrorCode::Storage,
        message: format!("The answer could not be written: {e}"),
    })
}

use super::*;
use crate::api::session::SecretKind;
use cashdesk_domain::{AccountId, DraftId, OperatorId, RequestId};
use dto::{DraftFields, NewAccountInput, QueueQuery, SettleOutcome};

calls! {
    "app_info" => |app| app_info(app);
    "session" => |app| session::session(app);
    "create_first_admin" => |app, name: String, login: String, secret: String| {
        let kind = if login == "pin" { SecretKind::Pin } else { SecretKind::Password };
        session::create_first_admin(app, &name, kind, &secret)
    };
    "log_in" => |app, id: OperatorId, secret: String| session::log_in(app, id, &secret);
    "unlock" => |app, secret: String| session::unlock(app, &secret);
    "touch_session" => |app| session::touch(app);
    "lock_desk" => |app| session::lock(app);
    "log_out" => |app| session::log_out(app);
    "set_idle_lock" => |app, secs: u64| session::set_idle_lock(app, secs);
    "operators" => |app| operators::operators(app);
    "add_operator" => |app, input: operators::NewOperatorInput| operators::add_operator(app, &input);
    "team_sessions" => |app| team_sessions::team_sessions(app);
    "revoke_team_session" => |app, id: String| team_sessions::revoke_team_session(app, &id);
    "change_operator" => |app, id: OperatorId, input: operators::OperatorChangeInput| {
        operators::change_operator(app, id, &input)
    };
    "approval_rules" => |app| operators::approval_rules(app);
    "add_approval_rule" => |app, rule: operators::RuleView| operators::add_approval_rule(app, &rule);
    "remove_approval_rule" => |app, id: i64| operators::remove_approval_rule(app, id);
    "verify_audit" => |app| audit::verify(app);
    "overview" => |app, range: overview::OverviewRange| overview::overview(app, range);
    "people" => |app| people::people(app);
    "person" => |app, query: people::PersonQuery| people::person(app, &query);
    "shifts" => |app| shifts::shifts(app);
    "open_shift" => |app, balances: Vec<shifts::BalanceInput>| shifts::open_shift(app, &balances).await;
    "preview_close" => |app| shifts::preview_close(app).await;
    "sign_close" => |app, form: shifts::SignClose| shifts::sign_close(app, &form);
    "shift_report" => |app, id: i64| shift_report::shift_report(app, id);
    "export_shift" => |app, id: i64| shift_report::export_shift(app, id);
    "attention" => |app| supervisor::attention(app);
    "export_view" => |app, query: QueueQuery| export::export_view(app, &query);
    "saved_views" => |app| views::saved_views(app);
    "filter_choices" => |app| views::filter_choices(app);
    "reveal_card" => |app, id: RequestId| desk::reveal_card(app, id);
    "save_view" => |app, name: String, query: QueueQuery| views::save_view(app, &name, &query);
    "delete_view" => |app, name: String| views::delete_view(app, &name);
    "audit_trail" => |app, query: supervisor::AuditQuery| supervisor::audit_trail(app, &query);
    "export_audit" => |app, query: supervisor::AuditQuery| audit_export::export_audit(app, &query);
    "set_sla_minutes" => |app, minutes: i64| supervisor::set_sla_minutes(app, minutes);
    "desk_policy" => |app| policy::desk_policy(app);
    "set_desk_policy" => |app, policy: policy::DeskPolicy| policy::set_desk_policy(app, &policy);
    "notify_prefs" => |app| notify_prefs::notify_prefs(app);
    "set_notify_prefs" => |app, prefs: notify_prefs::NotifyPrefs| {
        notify_prefs::set_notify_prefs(app, &prefs)
    };
    "method_slas" => |app| supervisor::method_slas(app);
    "set_method_sla" => |app, method: String, minutes: Option<u32>| {
        supervisor::set_method_sla(app, &method, minutes)
    };
    "claim" => |app, id: RequestId| requests::claim(app, id);
    "release_claim" => |app, id: RequestId| requests::release(app, id);
    "take_over" => |app, id: RequestId| requests::take_over(app, id);
    "list_queue" => |app, query: QueueQuery| requests::list_queue(app, &query);
    "get_request" => |app, id: RequestId| requests::get_request(app, id);
    "approve" => |app, id: RequestId, confirmed: Option<bool>| {
        requests::approve_from_window(app, id, confirmed == Some(true)).await
    };
    "reject" => |app, id: RequestId, reason: String| requests::reject(app, id, &reason).await;
    "settle" => |app, id: RequestId, outcome: SettleOutcome, note: String| {
        requests::settle(app, id, outcome, &note)
    };
    "check_with_provider" => |app, id: RequestId| requests::check_with_provider(app, id).await;
    "list_drafts" => |app| drafts::list_drafts(app);
    "save_draft" => |app, id: Option<DraftId>, fields: DraftFields| drafts::save_draft(app, id, &fields);
    "discard_draft" => |app, id: DraftId| drafts::discard_draft(app, id);
    "submit_draft" => |app, id: DraftId| drafts::submit_draft(app, id);
    "list_accounts" => |app| accounts::list_accounts(app);
    "quarantined" => |app| accounts::quarantined(app);
    "add_account" => |app, input: NewAccountInput| accounts::add_account(app, &input);
    "remove_account" => |app, id: AccountId| accounts::remove_account(app, id);
    "check_connection" => |app, id: AccountId| accounts::check_connection(app, id).await;
    "provider_forms" => |_app| Ok(accounts::provider_forms());
    "list_methods" => |app, account_id: AccountId| desk::list_methods(app, account_id).await;
    "agent_number" => |app, account_id: AccountId, method: String| {
        accounts::agent_number(app, account_id, &method).await
    };
    "request_form" => |app, account_id: AccountId| desk::request_form(app, account_id).await;
    "account_reference" => |app, account_id: AccountId| desk::account_reference(app, account_id).await;
    "request_reference" => |app, id: RequestId| desk::request_reference(app, id).await;
    "attach_screenshot" => |app, target: desk::AttachTarget, input: desk::ScreenshotInput| {
        desk::attach_screenshot(app, target, &input)
    };
    "attachment_data" => |app, id: String| desk::attachment_data(app, &id);
    "list_links" => |app| accounts::list_links(app);
    "intake_info" => |app| intake_info(app);
    "rotate_intake_token" => |app| rotate_intake_token(app);
    "import_csv" => |app, text: String| import::import_csv(app, &text);
    "settle_candidates" => |app, id: RequestId| reconcile::candidates(app, id);
    "settle_with_candidate" => |app, id: RequestId, event_key: String| {
        reconcile::settle_with_candidate(app, id, &event_key)
    };
}
