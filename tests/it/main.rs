//! Sésame's integration tests: one binary, one module per user story. Every story runs against
//! the real router on port 0, on SQLite and on PostgreSQL (see `harness`).

mod harness;

mod api_tokens;
mod audit;
mod cli;
mod delegation;
mod delivery;
mod errors;
mod hidden_characters;
mod import;
mod import_jobs;
mod invitations;
mod mail;
mod mail_limit;
mod nginx;
mod notifications;
mod openapi;
mod org_privacy;
mod organisations;
mod others_preferences;
mod outbox;
mod pages;
mod proofs;
mod reverse_proxy;
mod role_scopes;
mod routes;
mod session_only;
mod sessions;
mod setup;
mod signatures;
mod storage;
mod throttle;
mod two_factor;
mod users;
mod web_pages;
