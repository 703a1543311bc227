//! One-line adapters from Tauri commands to `cashdesk_core::api`.

use cashdesk_core::Cashdesk;
use cashdesk_core::api::IntakeInfo;
use cashdesk_core::api::accounts::LinkView;
use cashdesk_core::api::desk::{
    AttachTarget, ReferenceView, RequestForm, RevealedCard, ScreenshotInput,
};
use cashdesk_core::api::import::ImportReport;
use cashdesk_core::api::operators::{NewOperatorInput, OperatorChangeInput, OperatorRow, RuleView};
use cashdesk_core::api::reconcile::Candidate;

use cashdesk_core::api::session::{SecretKind, SessionView};
use cashdesk_core::api::supervisor::{AttentionItem, AuditQuery, AuditRow};
use cashdesk_core::api::views::SavedView;
use cashdesk_core::api::{self, ApiResult, dto::*};
use cashdesk_domain::{AccountId, DraftId, OperatorId, RequestId};

use tauri::State;

/// The core, started off the window's thread (so WebKit loads the page
/// meanwhile), or why it could not start (shown by the UI). A command that
/// arrives first waits for it.
#[derive(Default)]
pub struct Desk {
    started: tokio::sync::SetOnce<Result<Cashdesk, ApiError>>,
    /// The window's focus as last reported, kept until the core is up.
    focused: std::sync::atomic::AtomicBool,
}

impl Desk {
    async fn get(&self) -> ApiResult<&Cashdesk> {
        self.started.wait().await.as_ref().map_err(Clone::clone)
    }

    /// The core once started (none while starting, or if it failed).
    pub fn now(&self) -> Option<&Cashdesk> {
        self.started.get().and_then(|r| r.as_ref().ok())
    }

    /// Records the start's outcome, which wakes every command waiting for it.
    pub fn set(&self, started: Result<Cashdesk, ApiError>) {
        if let Ok(desk) = &started {
            desk.window_focused(self.focused.load(std::sync::atomic::Ordering::SeqCst));
        }
        if self.started.set(started).is_err() {
            tracing::error!("the core was started twice");
        }
    }

    /// The shell's focus events, before and after the core is up.
    pub fn window_focused(&self, focused: bool) {
        self.focused
            .store(focused, std::sync::atomic::Ordering::SeqCst);
        if let Some(desk) = self.now() {
            desk.window_focused(focused);
        }
    }
}

type S<'a> = State<'a, Desk>;

#[tauri::command]
async fn app_info(d: S<'_>) -> ApiResult<AppInfo> {
    api::app_info(d.get().await?)
}
#[tauri::command]
async fn session(d: S<'_>) -> ApiResult<SessionView> {
    api::session::session(d.get().await?)
}
#[tauri::command]
async fn create_first_admin(
    d: S<'_>,
    name: String,
    login: String,
    secret: String,
) -> ApiResult<SessionView> {
    let kind = if login == "pin" {
        SecretKind::Pin
    } else {
        SecretKind::Password
    };
    api::session::create_first_admin(d.get().await?, &name, kind, &secret)
}
#[tauri::command]
async fn log_in(d: S<'_>, id: OperatorId, secret: String) -> ApiResult<SessionView> {
    api::session::log_in(d.get().await?, id, &secret)
}
#[tauri::command]
async fn unlock(d: S<'_>, secret: String) -> ApiResult<SessionView> {
    api::session::unlock(d.get().await?, &secret)
}
#[tauri::command]
async fn touch_session(d: S<'_>) -> ApiResult<()> {
    api::session::touch(d.get().await?)
}
#[tauri::command]
async fn lock_desk(d: S<'_>) -> ApiResult<SessionView> {
    api::session::lock(d.get().await?)
}
#[tauri::command]
async fn log_out(d: S<'_>) -> ApiResult<SessionView> {
    api::session::log_out(d.get().await?)
}
#[tauri::command]
async fn set_idle_lock(d: S<'_>, secs: u64) -> ApiResult<SessionView> {
    api::session::set_idle_lock(d.get().await?, secs)
}
#[tauri::command]
async fn operators(d: S<'_>) -> ApiResult<Vec<OperatorRow>> {
    api::operators::operators(d.get().await?)
}
#[tauri::command]
async fn add_operator(d: S<'_>, input: NewOperatorInput) -> ApiResult<OperatorRow> {
    api::operators::add_operator(d.get().await?, &input)
}
#[tauri::command]
async fn change_operator(
    d: S<'_>,
    id: OperatorId,
    input: OperatorChangeInput,
) -> ApiResult<OperatorRow> {
    api::operators::change_operator(d.get().await?, id, &input)
}
#[tauri::command]
async fn approval_rules(d: S<'_>) -> ApiResult<Vec<RuleView>> {
    api::operators::approval_rules(d.get().await?)
}
#[tauri::command]
async fn add_approval_rule(d: S<'_>, rule: RuleView) -> ApiResult<Vec<RuleView>> {
    api::operators::add_approval_rule(d.get().await?, &rule)
}
#[tauri::command]
async fn remove_approval_rule(d: S<'_>, id: i64) -> ApiResult<Vec<RuleView>> {
    api::operators::remove_approval_rule(d.get().await?, id)
}
#[tauri::command]
async fn export_view(
    d: S<'_>,
    query: QueueQuery,
) -> ApiResult<cashdesk_core::api::export::ExportResult> {
    api::export::export_view(d.get().await?, &query)
}
#[tauri::command]
async fn reveal_card(d: S<'_>, id: RequestId) -> ApiResult<Vec<RevealedCard>> {
    api::desk::reveal_card(d.get().await?, id)
}
#[tauri::command]
async fn saved_views(d: S<'_>) -> ApiResult<Vec<SavedView>> {
    api::views::saved_views(d.get().await?)
}
#[tauri::command]
async fn filter_choices(d: S<'_>) -> ApiResult<api::views::FilterChoices> {
    api::views::filter_choices(d.get().await?)
}
#[tauri::command]
async fn save_view(d: S<'_>, name: String, query: QueueQuery) -> ApiResult<Vec<SavedView>> {
    api::views::save_view(d.get().await?, &name, &query)
}
#[tauri::command]
async fn delete_view(d: S<'_>, name: String) -> ApiResult<Vec<SavedView>> {
    api::views::delete_view(d.get().await?, &name)
}
#[tauri::command]
async fn attention(d: S<'_>) -> ApiResult<Vec<AttentionItem>> {
    api::supervisor::attention(d.get().await?)
}
#[tauri::command]
async fn audit_trail(d: S<'_>, query: AuditQuery) -> ApiResult<Vec<AuditRow>> {
    api::supervisor::audit_trail(d.get().await?, &query)
}
#[tauri::command]
async fn export_audit(
    d: S<'_>,
    query: AuditQuery,
) -> ApiResult<cashdesk_core::api::export::ExportResult> {
    api::audit_export::export_audit(d.get().await?, &query)
}
#[tauri::command]
async fn method_slas(d: S<'_>) -> ApiResult<Vec<api::supervisor::MethodSla>> {
    api::supervisor::method_slas(d.get().await?)
}
#[tauri::command]
async fn set_method_sla(
    d: S<'_>,
    method: String,
    minutes: Option<u32>,
) -> ApiResult<Vec<api::supervisor::MethodSla>> {
    api::supervisor::set_method_sla(d.get().await?, &method, minutes)
}
#[tauri::command]
async fn notify_prefs(d: S<'_>) -> ApiResult<api::notify_prefs::NotifyPrefs> {
    api::notify_prefs::notify_prefs(d.get().await?)
}
#[tauri::command]
async fn set_notify_prefs(
    d: S<'_>,
    prefs: api::notify_prefs::NotifyPrefs,
) -> ApiResult<api::notify_prefs::NotifyPrefs> {
    api::notify_prefs::set_notify_prefs(d.get().await?, &prefs)
}
#[tauri::command]
async fn desk_policy(d: S<'_>) -> ApiResult<api::policy::DeskPolicy> {
    api::policy::desk_policy(d.get().await?)
}
#[tauri::command]
async fn set_desk_policy(
    d: S<'_>,
    policy: api::policy::DeskPolicy,
) -> ApiResult<api::policy::DeskPolicy> {
    api::policy::set_desk_policy(d.get().await?, &policy)
}
#[tauri::command]
async fn set_sla_minutes(d: S<'_>, minutes: i64) -> ApiResult<i64> {
    api::supervisor::set_sla_minutes(d.get().await?, minutes)
}
#[tauri::command]
async fn overview(
    d: S<'_>,
    range: api::overview::OverviewRange,
) -> ApiResult<api::overview::OverviewView> {
    api::overview::overview(d.get().await?, range)
}
#[tauri::command]
async fn people(d: S<'_>) -> ApiResult<Vec<api::people::PersonRow>> {
    api::people::people(d.get().await?)
}
#[tauri::command]
async fn person(d: S<'_>, query: api::people::PersonQuery) -> ApiResult<api::people::PersonPage> {
    api::people::person(d.get().await?, &query)
}
#[tauri::command]
async fn shifts(d: S<'_>) -> ApiResult<api::shifts::ShiftsView> {
    api::shifts::shifts(d.get().await?)
}
#[tauri::command]
async fn open_shift(
    d: S<'_>,
    balances: Vec<api::shifts::BalanceInput>,
) -> ApiResult<api::shifts::ShiftInfo> {
    api::shifts::open_shift(d.get().await?, &balances).await
}
#[tauri::command]
async fn preview_close(d: S<'_>) -> ApiResult<api::shifts::ClosePreview> {
    api::shifts::preview_close(d.get().await?).await
}
#[tauri::command]
async fn sign_close(
    d: S<'_>,
    form: api::shifts::SignClose,
) -> ApiResult<api::shift_report::ShiftReport> {
    api::shifts::sign_close(d.get().await?, &form)
}
#[tauri::command]
async fn shift_report(d: S<'_>, id: i64) -> ApiResult<api::shift_report::ShiftReport> {
    api::shift_report::shift_report(d.get().await?, id)
}
#[tauri::command]
async fn export_shift(d: S<'_>, id: i64) -> ApiResult<cashdesk_core::api::export::ExportResult> {
    api::shift_report::export_shift(d.get().await?, id)
}
#[tauri::command]
async fn verify_audit(d: S<'_>) -> ApiResult<cashdesk_core::api::audit::AuditCheck> {
    api::audit::verify(d.get().await?)
}
#[tauri::command]
async fn claim(d: S<'_>, id: RequestId) -> ApiResult<ClaimView> {
    api::requests::claim(d.get().await?, id)
}
#[tauri::command]
async fn release_claim(d: S<'_>, id: RequestId) -> ApiResult<()> {
    api::requests::release(d.get().await?, id)
}
#[tauri::command]
async fn take_over(d: S<'_>, id: RequestId) -> ApiResult<ClaimView> {
    api::requests::take_over(d.get().await?, id)
}
#[tauri::command]
async fn list_queue(d: S<'_>, query: QueueQuery) -> ApiResult<QueuePage> {
    api::requests::list_queue(d.get().await?, &query)
}
#[tauri::command]
async fn get_request(d: S<'_>, id: RequestId) -> ApiResult<RequestDetail> {
    api::requests::get_request(d.get().await?, id)
}
#[tauri::command]
async fn approve(d: S<'_>, id: RequestId, confirmed: Option<bool>) -> ApiResult<RequestDetail> {
    api::requests::approve_from_window(d.get().await?, id, confirmed == Some(true)).await
}
#[tauri::command]
async fn reject(d: S<'_>, id: RequestId, reason: String) -> ApiResult<RequestDetail> {
    api::requests::reject(d.get().await?, id, &reason).await
}
#[tauri::command]
async fn settle(
    d: S<'_>,
    id: RequestId,
    outcome: SettleOutcome,
    note: String,
) -> ApiResult<RequestDetail> {
    api::requests::settle(d.get().await?, id, outcome, &note)
}
#[tauri::command]
async fn check_with_provider(d: S<'_>, id: RequestId) -> ApiResult<RequestDetail> {
    api::requests::check_with_provider(d.get().await?, id).await
}
#[tauri::command]
async fn list_drafts(d: S<'_>) -> ApiResult<Vec<DraftView>> {
    api::drafts::list_drafts(d.get().await?)
}
#[tauri::command]
async fn save_draft(d: S<'_>, id: Option<DraftId>, fields: DraftFields) -> ApiResult<DraftView> {
    api::drafts::save_draft(d.get().await?, id, &fields)
}
#[tauri::command]
async fn discard_draft(d: S<'_>, id: DraftId) -> ApiResult<()> {
    api::drafts::discard_draft(d.get().await?, id)
}
#[tauri::command]
async fn submit_draft(d: S<'_>, id: DraftId) -> ApiResult<RequestDetail> {
    api::drafts::submit_draft(d.get().await?, id)
}
#[tauri::command]
async fn list_accounts(d: S<'_>) -> ApiResult<Vec<AccountView>> {
    api::accounts::list_accounts(d.get().await?)
}
#[tauri::command]
async fn quarantined(d: S<'_>) -> ApiResult<Vec<QuarantineItem>> {
    api::accounts::quarantined(d.get().await?)
}
#[tauri::command]
async fn add_account(d: S<'_>, input: NewAccountInput) -> ApiResult<AccountView> {
    api::accounts::add_account(d.get().await?, &input)
}
#[tauri::command]
async fn remove_account(d: S<'_>, id: AccountId) -> ApiResult<()> {
    api::accounts::remove_account(d.get().await?, id)
}
#[tauri::command]
async fn check_connection(d: S<'_>, id: AccountId) -> ApiResult<String> {
    api::accounts::check_connection(d.get().await?, id).await
}
#[tauri::command]
async fn provider_forms() -> ApiResult<Vec<ProviderForm>> {
    Ok(api::accounts::provider_forms())
}
#[tauri::command]
async fn list_methods(d: S<'_>, account_id: AccountId) -> ApiResult<Vec<MethodInfo>> {
    api::desk::list_methods(d.get().await?, account_id).await
}
#[tauri::command]
async fn agent_number(
    d: S<'_>,
    account_id: AccountId,
    method: String,
) -> ApiResult<AgentNumberView> {
    api::accounts::agent_number(d.get().await?, account_id, &method).await
}
#[tauri::command]
async fn request_form(d: S<'_>, account_id: AccountId) -> ApiResult<RequestForm> {
    api::desk::request_form(d.get().await?, account_id).await
}
#[tauri::command]
async fn account_reference(d: S<'_>, account_id: AccountId) -> ApiResult<ReferenceView> {
    api::desk::account_reference(d.get().await?, account_id).await
}
#[tauri::command]
async fn request_reference(d: S<'_>, id: RequestId) -> ApiResult<ReferenceView> {
    api::desk::request_reference(d.get().await?, id).await
}
#[tauri::command]
async fn attach_screenshot(
    d: S<'_>,
    target: AttachTarget,
    input: ScreenshotInput,
) -> ApiResult<AttachmentView> {
    api::desk::attach_screenshot(d.get().await?, target, &input)
}
#[tauri::command]
async fn attachment_data(d: S<'_>, id: String) -> ApiResult<String> {
    api::desk::attachment_data(d.get().await?, &id)
}
#[tauri::command]
async fn list_links(d: S<'_>) -> ApiResult<Vec<LinkView>> {
    api::accounts::list_links(d.get().await?)
}
#[tauri::command]
async fn intake_info(d: S<'_>) -> ApiResult<IntakeInfo> {
    api::intake_info(d.get().await?)
}
#[tauri::command]
async fn rotate_intake_token(d: S<'_>) -> ApiResult<IntakeInfo> {
    api::rotate_intake_token(d.get().await?)
}
#[tauri::command]
async fn import_csv(d: S<'_>, text: String) -> ApiResult<ImportReport> {
    api::import::import_csv(d.get().await?, &text)
}
#[tauri::command]
async fn settle_candidates(d: S<'_>, id: RequestId) -> ApiResult<Vec<Candidate>> {
    api::reconcile::candidates(d.get().await?, id)
}
#[tauri::command]
async fn settle_with_candidate(
    d: S<'_>,
    id: RequestId,
    event_key: String,
) -> ApiResult<RequestDetail> {
    api::reconcile::settle_with_candidate(d.get().await?, id, &event_key)
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_info,
        session,
        create_first_admin,
        log_in,
        unlock,
        touch_session,
        lock_desk,
        log_out,
        set_idle_lock,
        operators,
        add_operator,
        change_operator,
        approval_rules,
        add_approval_rule,
        remove_approval_rule,
        verify_audit,
        overview,
        people,
        person,
        shifts,
        open_shift,
        preview_close,
        sign_close,
        shift_report,
        export_shift,
        attention,
        export_view,
        saved_views,
        filter_choices,
        reveal_card,
        save_view,
        delete_view,
        audit_trail,
        export_audit,
        set_sla_minutes,
        desk_policy,
        set_desk_policy,
        notify_prefs,
        set_notify_prefs,
        method_slas,
        set_method_sla,
        claim,
        release_claim,
        take_over,
        list_queue,
        get_request,
        approve,
        reject,
        settle,
        check_with_provider,
        list_drafts,
        save_draft,
        discard_draft,
        submit_draft,
        list_accounts,
        quarantined,
        add_account,
        remove_account,
        provider_forms,
        check_connection,
        list_methods,
        agent_number,
        request_form,
        account_reference,
        request_reference,
        attach_screenshot,
        attachment_data,
        list_links,
        intake_info,
        rotate_intake_token,
        import_csv,
        settle_candidates,
        settle_with_candidate,
    ]
}
