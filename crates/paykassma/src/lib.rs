//! Paykassma API adapter.
//!
//! Typed requests and responses as the provider documents them, checked
//! against the documented masks and limits before anything is sent; a
//! client that sorts every failure by whether money may have moved; the
//! withdrawal signature reproduced from the document's PHP (proved against
//! `php` itself); postback verification; and the lookups that settle an
//! ambiguous failure without sending anything twice. Nothing here knows
//! about the rest of Cashdesk, so it can be tested against the simulator
//! alone. Every undocumented choice lives in [`assumptions`].

pub mod assumptions;
pub mod client;
mod deposits;
pub mod error;
pub mod lookup;
pub mod pages;
pub mod php;
pub mod postback;
mod recovery;
pub mod rules;
mod serde_forms;
pub mod signature;
pub mod validate;
pub mod wire;
pub mod withdrawal;

pub use assumptions::{Paths, PostbackPolicy};
pub use client::{Client, ClientConfig, Secret};
pub use error::{Error, ProviderMessage};
pub use lookup::{
    Balance, Paginate, PostbackLookup, PostbackType, Pulled, PulledDeposit, PulledWithdrawal,
};
pub use pages::{
    BkashApiPaymentRequest, BkashPayment, CreatePaymentRequest, HashUrlRequest, HashedUrls,
    NagadApiPaymentRequest, OrderedUrl,
};
pub use postback::{
    DepositPostback, Postback, PostbackError, PostbackTransaction, Received, WithdrawalPostback,
    WithdrawalStatus,
};
pub use rules::{AccountMask, Rules, ScreenshotRules, WithdrawalField, WithdrawalRule};
pub use signature::PrivateKey;
pub use validate::ValidationError;
pub use wire::{
    ActivateRequest, ActivationOutcome, CreateTransactionRequest, CurrencyData, DepositInfo,
    DepositInfoQuery, MediaHint, MediaHints, PaymentSystems, PaymentSystemsQuery,
    PossibleTransactionOutcome, PossibleTransactionRequest, Screenshot, TransactionCreated, Wallet,
};
pub use withdrawal::{BankDetails, CreateWithdrawalRequest, PaymentsDetails};
