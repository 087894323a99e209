//! Sésame's integration tests: one binary, one module per user story. Every story runs against
//! the real router on port 0, on SQLite and on PostgreSQL (see `harness`).

mod harness;

mod apache;
mod api_tokens;
mod apps;
mod audit;
mod cli;
mod delegation;
mod delivery;
mod errors;
mod forward_auth;
mod hidden_characters;
mod import;
mod import_jobs;
mod invitations;
mod keys;
mod mail;
mod mail_limit;
mod nginx;
mod notifications;
mod oidc;
mod openapi;
mod org_privacy;
mod organisations;
mod others_preferences;
mod outbox;
mod pages;
mod pending_state;
mod proofs;
mod request_log;
mod reverse_proxy;
mod role_scopes;
mod routes;
mod session_only;
mod sessions;
mod setup;
mod signatures;
mod storage;
mod throttle;
mod time_zones;
mod two_factor;
mod two_instances;
mod users;
mod web_import;
mod web_pages;
