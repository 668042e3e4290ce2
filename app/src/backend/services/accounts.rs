//! Accounts: signing up and in, changing the password, and the staff roles an admin gives and
//! takes back (audited), and the first admin created from the server's command line.

use crate::backend::db::{reviews, sessions, users, Db, DbError};
use crate::backend::live::{LiveHub, Topic};
use crate::backend::passwords::Passwords;
use crate::backend::services::disputes;
use crate::backend::clock;
use crate::domain::user::{check_email, NewAccount, PasswordChange, Role, RoleChangeView, SessionUser, StaffMember, StaffPage};
use crate::domain::UserId;
use crate::error::AppError;

#[tracing::instrument(skip_all)]
pub async fn sign_up(db: &Db, passwords: &Passwords, account: NewAccount, role: Role, now: i64) -> Result<SessionUser, AppError> {
    let hash = passwords.hash(account.password.clone()).await?;
    let mut tx = db.begin().await?;
    let id = match users::insert(&mut tx, &account.email, &account.display_name, &hash, role, now).await {
        Ok(id) => id,
        Err(DbError::Conflict(_)) => {
            return Err(AppError::invalid_field("email", crate::i18n::td_string!(crate::domain::locale::request(), server.account.exists).to_string()))
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await.map_err(DbError::from)?;
    Ok(SessionUser { id, email: account.email, display_name: account.display_name, role })
}

/// Checks the credentials. Unknown email and wrong password give the same answer.
#[tracing::instrument(skip_all)]
pub async fn sign_in(db: &Db, passwords: &Passwords, email: &str, password: String) -> Result<SessionUser, AppError> {
    let user = users::find_by_email(&db.pool, email).await?;
    let ok = passwords.verify(user.as_ref().map(|u| u.password_hash.clone()), password).await?;
    match user {
        Some(u) if ok => Ok(u.to_session_user()),
        _ => Err(AppError::invalid_field("password", crate::i18n::td_string!(crate::domain::locale::request(), server.account.no_match).to_string())),
    }
}

/// Ends every other session of `user` (after a password change, or "sign out everywhere" with
/// `keep` `None`) and closes their live connections on every server.
pub async fn end_sessions(db: &Db, live: &LiveHub, user: UserId, keep: Option<&str>) -> Result<u64, AppError> {
    let ended = sessions::delete_of_user(&db.pool, user, keep).await?;
    live.publish(&[Topic::Account(user)]).await;
    Ok(ended)
}

/// Checks that `password` is `user`'s current password.
pub async fn verify_password(db: &Db, passwords: &Passwords, user: &SessionUser, password: String) -> Result<(), AppError> {
    let row = users::find_by_id(&db.pool, user.id).await?.ok_or(AppError::Unauthenticated)?;
    if passwords.verify(Some(row.password_hash), password).await? {
        Ok(())
    } else {
        Err(AppError::invalid_field("current_password", crate::i18n::td_string!(crate::domain::locale::request(), server.account.current_wrong).to_string()))
    }
}

/// Sets `user`'s new password (checked by `verify_password` before) and ends every other session
/// of theirs but `keep`.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn change_password(db: &Db, passwords: &Passwords, live: &LiveHub, user: &SessionUser, change: PasswordChange, keep: &str) -> Result<(), AppError> {
    let hash = passwords.hash(change.new).await?;
    let mut tx = db.begin().await?;
    users::set_password_hash(&mut tx, user.id, &hash).await?;
    tx.commit().await.map_err(DbError::from)?;
    end_sessions(db, live, user.id, Some(keep)).await?;
    Ok(())
}

pub(crate) fn require_admin(user: &SessionUser) -> Result<(), AppError> {
    if user.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The admin's roles page: everyone working for the marketplace and the latest role changes.
pub async fn staff_page(db: &Db, admin: &SessionUser) -> Result<StaffPage, AppError> {
    require_admin(admin)?;
    let staff = users::staff(&db.pool)
        .await?
        .into_iter()
        .map(|u| StaffMember { id: UserId(u.id), role: u.role(), email: u.email, display_name: u.display_name })
        .collect();
    let log = users::role_changes(&db.pool, 100)
        .await?
        .into_iter()
        .map(|c| RoleChangeView {
            at: clock::display(c.created_at),
            by: match (c.actor_name, c.actor_email) {
                (Some(name), Some(email)) => format!("{name} ({email})"),
                _ => "the server's command line".to_string(),
            },
            person: format!("{} ({})", c.user_name, c.user_email),
            from: Role::parse(&c.from_role).unwrap_or(Role::Buyer),
            to: Role::parse(&c.to_role).unwrap_or(Role::Buyer),
        })
        .collect();
    Ok(StaffPage { staff, log })
}

/// Moves `person` from `from` to `to` in one transaction: the role, the audit line, their sessions
/// ended (they sign in again with the new role), and for a role taken back the claims and
/// reviews they were working on handed back to the queue. Then their live connections close.
async fn change_role(db: &Db, live: &LiveHub, actor: Option<UserId>, person: &SessionUser, to: Role, now: i64) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    if !users::set_role(&mut tx, person.id, person.role, to).await? {
        return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.account.role_changed).to_string()));
    }
    users::log_role_change(&mut tx, person.id, actor, person.role, to, now).await?;
    let handed_back = match person.role {
        Role::Mediator => disputes::hand_back_claims(&mut tx, person, now).await?,
        _ => Vec::new(),
    };
    if person.role == Role::Moderator {
        reviews::release_claims_of(&mut tx, person.id).await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    sessions::delete_of_user(&db.pool, person.id, None).await?;
    let mut topics = vec![Topic::Account(person.id), Topic::Moderation];
    topics.extend(handed_back.into_iter().map(Topic::Claim));
    live.publish(&topics).await;
    tracing::info!(person = %person.id, actor = ?actor.map(|a| a.0), from = person.role.as_str(), to = to.as_str(), "role changed");
    Ok(())
}

/// An admin gives the person with `email` a staff role (mediator or moderator). Only buyers take
/// one: a seller refereeing the marketplace they sell on would judge their own cases.
#[tracing::instrument(skip(db, live, admin), fields(admin = %admin.id))]
pub async fn grant_role(db: &Db, live: &LiveHub, admin: &SessionUser, email: &str, role: &str, now: i64) -> Result<StaffMember, AppError> {
    require_admin(admin)?;
    let mut fields = crate::error::FieldErrors::new();
    let email = check_email(email).map_err(|m| fields.insert("email".into(), m)).ok();
    let role = Role::parse(role.trim()).filter(|r| Role::GRANTABLE.contains(r));
    if role.is_none() {
        fields.insert("role".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.account.choose_role).to_string());
    }
    let (Some(email), Some(role)) = (email, role) else { return Err(AppError::from_fields(fields)) };
    let person = users::find_by_email(&db.pool, &email)
        .await?
        .map(|u| u.to_session_user())
        .ok_or_else(|| AppError::invalid_field("email", crate::i18n::td_string!(crate::domain::locale::request(), server.account.no_account).to_string()))?;
    let l = crate::domain::locale::request();
    let name = person.display_name.clone();
    match person.role {
        Role::Mediator if role == Role::Mediator => return Err(AppError::Conflict(crate::i18n::td_string!(l, server.account.already_mediator, name = name).to_string())),
        Role::Moderator if role == Role::Moderator => return Err(AppError::Conflict(crate::i18n::td_string!(l, server.account.already_moderator, name = name).to_string())),
        Role::Buyer => {}
        Role::Seller => return Err(AppError::invalid_field("email", crate::i18n::td_string!(crate::domain::locale::request(), server.account.is_seller).to_string())),
        Role::Admin => return Err(AppError::invalid_field("email", crate::i18n::td_string!(crate::domain::locale::request(), server.account.is_admin).to_string())),
        Role::Mediator => return Err(AppError::Conflict(crate::i18n::td_string!(l, server.account.other_role_mediator, name = name).to_string())),
        Role::Moderator => return Err(AppError::Conflict(crate::i18n::td_string!(l, server.account.other_role_moderator, name = name).to_string())),
    }
    change_role(db, live, Some(admin.id), &person, role, now).await?;
    Ok(StaffMember { id: person.id, email: person.email, display_name: person.display_name, role })
}

/// An admin takes a mediator's or moderator's role back (they become a buyer again).
#[tracing::instrument(skip(db, live, admin), fields(admin = %admin.id))]
pub async fn revoke_role(db: &Db, live: &LiveHub, admin: &SessionUser, person: UserId, now: i64) -> Result<(), AppError> {
    require_admin(admin)?;
    let person = users::find_by_id(&db.pool, person)
        .await?
        .map(|u| u.to_session_user())
        .filter(|p| Role::GRANTABLE.contains(&p.role))
        .ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.account.no_staff).to_string()))?;
    change_role(db, live, Some(admin.id), &person, Role::Buyer, now).await
}

/// The first admin (or another), from the server's command line: a new account with the admin
/// role, audited as made by the command line.
pub async fn create_admin(db: &Db, passwords: &Passwords, account: NewAccount, now: i64) -> Result<SessionUser, AppError> {
    let admin = sign_up(db, passwords, account, Role::Admin, now).await?;
    let mut tx = db.begin().await?;
    users::log_role_change(&mut tx, admin.id, None, Role::Buyer, Role::Admin, now).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(admin)
}

/// "The buyer reads French": which language the other side of a claim or a conversation reads, in
/// the language of the request, so a seller can answer in the customer's. `None` until they chose
/// one (or signed up in one).
pub async fn reads_line(db: &Db, party: crate::domain::dispute::Party, user: UserId) -> Result<Option<String>, AppError> {
    use crate::domain::dispute::Party;
    use crate::domain::locale::{from_code, Locale};
    use crate::i18n::td_string;
    let Some(reads) = users::language(&db.pool, user).await?.as_deref().and_then(from_code) else {
        return Ok(None);
    };
    let l = crate::backend::web::locale::current().locale;
    Ok(match (party, reads) {
        (Party::Buyer, Locale::en) => Some(td_string!(l, reads.buyer_en)),
        (Party::Buyer, Locale::fr) => Some(td_string!(l, reads.buyer_fr)),
        (Party::Seller, Locale::en) => Some(td_string!(l, reads.seller_en)),
        (Party::Seller, Locale::fr) => Some(td_string!(l, reads.seller_fr)),
        _ => None,
    }
    .map(str::to_string))
}

/// The lines above for everyone in the room but `viewer`.
pub async fn others_read(db: &Db, viewer: crate::domain::dispute::Party, buyer: UserId, seller: UserId) -> Result<Vec<String>, AppError> {
    use crate::domain::dispute::Party;
    let mut lines = Vec::new();
    for (party, user) in [(Party::Buyer, buyer), (Party::Seller, seller)] {
        if party != viewer {
            lines.extend(reads_line(db, party, user).await?);
        }
    }
    Ok(lines)
}
