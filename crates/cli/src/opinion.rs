//! `litigant opinion draft|list|submit --case CASE`: cross-examination opinions (质证意见,
//! Art. 14) on the other side's evidence, per item on authenticity, legality and relevance.
//! Drafts stay in the data folder until `submit` sends them within the exchange window; a
//! refusal (window closed, no consent to online exchange, re-verification needed) keeps them.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use litigant_court_api::evidence::{AspectOpinion, OpinionRequest, Stance};
use litigant_court_api::identity::{ReverificationRequest, SmsCodeRequest, SmsPurpose};
use litigant_evidence::{CaseFile, OpinionDrafts};

use crate::platform::{Context, Failure, PlatformArgs, data_folder};

#[derive(Debug, Subcommand)]
pub enum OpinionCommand {
    /// Save (or replace) the draft opinion on one item.
    Draft(DraftArgs),
    /// The drafts not yet submitted.
    List(ListArgs),
    /// Submit every draft of the case within its open exchange window.
    Submit(SubmitArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StanceArg {
    Admit,
    Dispute,
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    #[arg(long)]
    case: String,
    /// The evidence item's id (see `litigant evidence receive`).
    evidence: String,
    /// 真实性.
    #[arg(long, value_enum)]
    authenticity: StanceArg,
    #[arg(long)]
    authenticity_reason: Option<String>,
    /// 合法性.
    #[arg(long, value_enum)]
    legality: StanceArg,
    #[arg(long)]
    legality_reason: Option<String>,
    /// 关联性.
    #[arg(long, value_enum)]
    relevance: StanceArg,
    #[arg(long)]
    relevance_reason: Option<String>,
    #[arg(long)]
    data: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    case: String,
    #[arg(long)]
    data: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    #[arg(long)]
    case: String,
    /// Re-verify first with an SMS code sent to this mobile number (read from standard
    /// input), since the platform asks for a recent re-verification.
    #[arg(long)]
    reverify_mobile: Option<String>,
}

fn aspect(stance: StanceArg, reason: Option<String>) -> AspectOpinion {
    AspectOpinion {
        stance: match stance {
            StanceArg::Admit => Stance::Admit,
            StanceArg::Dispute => Stance::Dispute,
        },
        reason,
    }
}

fn show(stance: &AspectOpinion) -> String {
    match (&stance.stance, &stance.reason) {
        (Stance::Admit, _) => "admit".to_owned(),
        (Stance::Dispute, Some(reason)) => format!("dispute ({reason})"),
        (Stance::Dispute, None) => "dispute".to_owned(),
    }
}

pub async fn run(command: OpinionCommand) -> Result<(), Failure> {
    match command {
        OpinionCommand::Draft(args) => {
            let drafts = OpinionDrafts::open(&data_folder(args.data.as_deref())?, &args.case)?;
            drafts.save(
                &args.evidence,
                OpinionRequest {
                    authenticity: aspect(args.authenticity, args.authenticity_reason),
                    legality: aspect(args.legality, args.legality_reason),
                    relevance: aspect(args.relevance, args.relevance_reason),
                },
            )?;
            println!("draft saved for {} in {}", args.evidence, args.case);
            Ok(())
        }
        OpinionCommand::List(args) => {
            let drafts = OpinionDrafts::open(&data_folder(args.data.as_deref())?, &args.case)?;
            for draft in drafts.list()? {
                println!(
                    "{}  authenticity {}; legality {}; relevance {}  (saved {})",
                    draft.evidence_id,
                    show(&draft.opinion.authenticity),
                    show(&draft.opinion.legality),
                    show(&draft.opinion.relevance),
                    draft.saved_at.to_rfc3339()
                );
            }
            Ok(())
        }
        OpinionCommand::Submit(args) => submit(args).await,
    }
}

async fn submit(args: SubmitArgs) -> Result<(), Failure> {
    let context = Context::open(&args.platform)?;
    context.resume().await?;
    if let Some(mobile) = args.reverify_mobile {
        context
            .client
            .send_sms_code(&SmsCodeRequest {
                mobile,
                purpose: SmsPurpose::Reverify,
            })
            .await?;
        eprintln!("An SMS code was sent to re-verify you. Type it and press Enter:");
        let mut code = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut code)
            .map_err(Failure::new)?;
        context
            .client
            .reverify(&ReverificationRequest {
                sms_code: code.trim().to_owned(),
            })
            .await?;
    }
    let drafts = OpinionDrafts::open(&context.data, &args.case)?;
    let mut case_file = CaseFile::open(&context.data)?;
    let submitted = drafts.submit(&context.client, &mut case_file).await?;
    for opinion in &submitted {
        println!(
            "submitted {} on {} (case file entry {})",
            opinion.opinion.id, opinion.opinion.evidence_id, opinion.case_file_seq
        );
    }
    Ok(())
}
