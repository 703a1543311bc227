//! Desktops' session tokens on a team desk (both engines): kept as hashes,
//! valid until they expire or are revoked, one operator's revocation
//! leaving the others'.

use cashdesk_domain::Role;
use cashdesk_store::*;

mod support;
use support::desk::desk_on;

fn sessions_are_kept_valid_and_revoked(on: Engine) {
    let d = desk_on(on);
    let ana = d.person("Ana", &[Role::Agent]).operator_ref().unwrap().id;
    let ada = d.admin.operator_ref().unwrap().id;
    let s =
        d.s.open_team_session("hash-ana-1", ana, "Cashdesk/0.1 (pc-1)", 60_000)
            .unwrap();
    assert_eq!(s.operator, ana);
    assert_eq!(s.device, "Cashdesk/0.1 (pc-1)");
    assert!(s.valid_at(s.created_ms));
    assert!(!s.valid_at(s.expires_ms), "ends at its expiry");
    d.s.open_team_session("hash-ana-2", ana, "pc-2", 60_000)
        .unwrap();
    d.s.open_team_session("hash-ada", ada, "pc-3", 60_000)
        .unwrap();
    assert!(
        d.s.open_team_session("hash-ada", ada, "pc-3", 60_000)
            .is_err(),
        "a token is never issued twice"
    );
    assert_eq!(d.s.team_sessions().unwrap().len(), 3);
    d.s.touch_team_session("hash-ana-1").unwrap();

    // Log-out ends one; an admin's revocation ends all of one operator's.
    assert!(d.s.revoke_team_session("hash-ana-1").unwrap());
    assert!(!d.s.revoke_team_session("hash-ana-1").unwrap(), "once");
    let gone = d.s.team_session("hash-ana-1").unwrap().unwrap();
    assert!(!gone.valid_at(gone.created_ms));
    assert_eq!(d.s.revoke_operator_sessions(ana).unwrap(), 1);
    let left: Vec<String> =
        d.s.team_sessions()
            .unwrap()
            .into_iter()
            .map(|s| s.token_hash)
            .collect();
    assert_eq!(left, vec!["hash-ada".to_owned()]);
    assert_eq!(d.s.team_session("no-such").unwrap(), None);
}

fn an_expired_session_is_not_listed(on: Engine) {
    let d = desk_on(on);
    let ada = d.admin.operator_ref().unwrap().id;
    d.s.open_team_session("hash-old", ada, "pc", -1).unwrap();
    assert!(d.s.team_sessions().unwrap().is_empty());
    let s = d.s.team_session("hash-old").unwrap().unwrap();
    assert!(!s.valid_at(s.created_ms));
}

fn an_admin_ends_one_desktops_session_audited(on: Engine) {
    let d = desk_on(on);
    let ana_actor = d.person("Ana", &[Role::Agent]);
    let ana = ana_actor.operator_ref().unwrap().id;
    d.s.open_team_session("hash-ana", ana, "pc-1", 60_000)
        .unwrap();
    assert!(
        d.s.revoke_team_session_as("hash-ana", &ana_actor).is_err(),
        "only an admin ends another's session"
    );
    assert!(d.s.revoke_team_session_as("hash-ana", &d.admin).unwrap());
    assert!(
        !d.s.revoke_team_session_as("hash-ana", &d.admin).unwrap(),
        "once"
    );
    assert!(d.s.team_sessions().unwrap().is_empty());
    let trail = format!("{:?}", d.s.audit_entries(50).unwrap());
    assert!(trail.contains("team_session.revoke"), "{trail}");
}

conformance!(
    sessions_are_kept_valid_and_revoked,
    an_expired_session_is_not_listed,
    an_admin_ends_one_desktops_session_audited,
);
