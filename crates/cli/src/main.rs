//! `sesame`: the binary. It parses the command line, opens the database, calls an operation
//! of `sesame-app`, and prints the result as an aligned table or as JSON.

mod apps;
mod args;
mod backup;
mod commands;
mod imports;
mod invitations;
mod keys;
mod memory;
mod output;
mod sheets;

use args::{Cli, Command};
use clap::Parser;
use output::Out;
use std::process::ExitCode;

// mimalloc rather than glibc's allocator: an import of 100,000 rows spent more than half its
// time in glibc's malloc and free (17 s against 7; bench/README.md, "Import").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Out::new(json_flag(&cli.command));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sesame: {e}");
            return ExitCode::from(3);
        }
    };
    let result = runtime.block_on(commands::run(cli, &out));
    // A stopping server has already given its work the time it may take (STOP_WITHIN); an
    // import thread still running is not waited for (its transaction is rolled back).
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.fail(e),
    }
}

fn json_flag(c: &Command) -> bool {
    use args::*;
    match c {
        Command::Serve { .. } | Command::Init { .. } => false,
        Command::User(u) => match u {
            UserCommand::Add { json, .. }
            | UserCommand::List { json, .. }
            | UserCommand::Show { json, .. }
            | UserCommand::Disable { json, .. }
            | UserCommand::Enable { json, .. }
            | UserCommand::Passwd { json, .. }
            | UserCommand::ResetTwoFactor { json, .. }
            | UserCommand::ExtendTwoFactor { json, .. }
            | UserCommand::Invite { json, .. } => *json,
        },
        Command::Group(g) => match g {
            GroupCommand::Add { json, .. }
            | GroupCommand::List { json }
            | GroupCommand::Show { json, .. }
            | GroupCommand::AddMember { json, .. }
            | GroupCommand::RemoveMember { json, .. } => *json,
        },
        Command::Role(RoleCommand::List { json }) => *json,
        Command::App(a) => match a {
            AppCommand::Add { json, .. }
            | AppCommand::List { json }
            | AppCommand::Show { json, .. }
            | AppCommand::RotateSecret { json, .. }
            | AppCommand::Remove { json, .. } => *json,
        },
        Command::Token(TokenCommand::Create { json, .. }) => *json,
        Command::Keys(KeysCommand::List { json } | KeysCommand::Rotate { json }) => *json,
        Command::Invitations(
            InvitationsCommand::List { json, .. } | InvitationsCommand::Resend { json, .. },
        ) => *json,
        Command::Import { json, .. } => *json,
        Command::Export { .. }
        | Command::Template { .. }
        | Command::Backup { .. }
        | Command::Restore { .. } => false,
    }
}
