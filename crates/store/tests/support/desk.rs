//! A desk with an admin and one Zexabit account, where operators with
//! roles decide withdrawals: shared by the operator and figure tests.

use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind, Role, Roles};
use cashdesk_store::*;

pub struct Desk {
    pub _place: super::Place,
    pub s: Store,
    pub acc: AccountId,
    pub admin: Actor,
}

pub fn desk() -> Desk {
    desk_on(Engine::Sqlite)
}

pub fn desk_on(engine: Engine) -> Desk {
    let (place, s) = super::empty_on(engine);
    let admin = s
        .add_operator(
            &NewOperator {
                name: "Ada",
                roles: &Roles::new([Role::Admin]),
                secret_kind: SecretKind::Password,
                secret_hash: "h",
            },
            &Actor::System,
        )
        .unwrap();
    let admin = Actor::Operator(admin.as_ref());
    let acc = AccountId::new();
    s.add_account(
        acc,
        &NewAccount {
            provider: ProviderKind::Zexabit,
            name: "Zexabit BD".into(),
            base_url: "http://127.0.0.1:1".into(),
            secret_names: vec![],
            config: serde_json::json!({}),
            sandbox: false,
        },
        &admin,
    )
    .unwrap();
    Desk {
        _place: place,
        s,
        acc,
        admin,
    }
}

impl Desk {
    pub fn person(&self, name: &str, roles: &[Role]) -> Actor {
        let rec = self
            .s
            .add_operator(
                &NewOperator {
                    name,
                    roles: &Roles::new(roles.iter().copied()),
                    secret_kind: SecretKind::Pin,
                    secret_hash: "h",
                },
                &self.admin,
            )
            .unwrap();
        Actor::Operator(rec.as_ref())
    }

    pub fn withdrawal(
        &self,
        amount: &str,
        user: &str,
        by: &Actor,
        source: Source,
    ) -> RequestRecord {
        let new = NewRequest {
            source,
            ..self.new_withdrawal(amount, user)
        };
        self.s.insert_request(&new, by).unwrap().0
    }

    /// A bKash withdrawal from intake at this desk's account, not yet filed.
    pub fn new_withdrawal(&self, amount: &str, user: &str) -> NewRequest {
        NewRequest {
            kind: RequestKind::Withdrawal,
            provider: ProviderKind::Zexabit,
            account_id: self.acc,
            method: "bkash".into(),
            money: Money::parse(amount, "BDT").unwrap(),
            end_user_ref: user.into(),
            end_user_name: None,
            provider_user_id: Some("68abc".into()),
            trx_id: None,
            sender: None,
            destination: Some("01811111111".into()),
            agent_number: None,
            source: Source::Intake,
            intake_ref: None,
            details: serde_json::json!({}),
            screenshot: None,
            expires: None,
        }
    }

    pub fn rule(&self, scope: RuleScope, threshold: &str) {
        self.s
            .add_approval_rule(
                &ApprovalRule {
                    id: 0,
                    scope,
                    account_id: None,
                    kind: Some(RequestKind::Withdrawal),
                    method: None,
                    currency: "BDT".into(),
                    threshold: threshold.parse().unwrap(),
                },
                &self.admin,
            )
            .unwrap();
    }

    pub fn approve(&self, r: &RequestRecord, by: &Actor) -> Result<RequestRecord> {
        self.s
            .approve(r.id, by, "zexabit.withdrawal", &serde_json::json!({}))
    }
}
