//! API tokens: hashing, expiry, revocation, disabled users, audit.

use redflag_store::Role;
use redflag_store::pages::sha256_hex;
use redflag_store::testkit;

#[tokio::test]
async fn tokens_work_until_revoked_expired_or_their_user_is_disabled() {
    for db in testkit::all().await {
        let store = &db.store;
        store.upsert_user("ana", "correct horse 42", Role::Analyst, "test").await.unwrap();
        store.upsert_user("bo", "correct horse 42", Role::Viewer, "test").await.unwrap();
        let t = store.create_api_token("ana", "nightly export", None, "ana").await.unwrap();
        assert!(t.secret.starts_with("rf_") && t.secret.len() == 67, "{}", t.secret);
        assert!(t.secret.starts_with(&t.token.prefix));
        let who = store.token_user(&t.secret).await.unwrap().expect("a new token works");
        assert_eq!((who.user.username.as_str(), who.user.role, who.token_id), ("ana", Role::Analyst, t.token.id));
        assert!(store.api_token(t.token.id).await.unwrap().last_used_at.is_some(), "use is recorded");
        assert_eq!(store.token_user("rf_0000").await.unwrap(), None);
        assert_eq!(store.token_user(&t.secret[..66]).await.unwrap(), None);

        // Only the hash is stored.
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT token_hash FROM api_tokens").fetch_all(store.pool()).await.unwrap();
        assert_eq!(stored, vec![sha256_hex(t.secret.as_bytes())]);

        // A role change applies to the token at once.
        store.upsert_user("ana", "correct horse 42", Role::Admin, "test").await.unwrap();
        assert_eq!(store.token_user(&t.secret).await.unwrap().unwrap().user.role, Role::Admin);

        // Disabled users' tokens stop working, and work again when re-enabled.
        store.set_user_disabled("ana", true, "admin").await.unwrap();
        assert_eq!(store.token_user(&t.secret).await.unwrap(), None);
        store.set_user_disabled("ana", false, "admin").await.unwrap();
        assert!(store.token_user(&t.secret).await.unwrap().is_some());

        // Another user cannot revoke it; its owner can, once.
        let bo = store.users().await.unwrap().into_iter().find(|u| u.username == "bo").unwrap();
        let err = store.revoke_api_token(t.token.id, Some(bo.id), "bo").await.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        let ana_id = t.token.user_id;
        let revoked = store.revoke_api_token(t.token.id, Some(ana_id), "ana").await.unwrap();
        assert!(revoked.revoked_at.is_some());
        store.revoke_api_token(t.token.id, None, "admin").await.unwrap();
        assert_eq!(store.token_user(&t.secret).await.unwrap(), None);

        // Expired tokens stop working; expiry must lie ahead when created.
        let soon = store.create_api_token("bo", "short", Some(redflag_store::now_ms() + 400), "bo").await.unwrap();
        assert!(store.token_user(&soon.secret).await.unwrap().is_some());
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(store.token_user(&soon.secret).await.unwrap(), None);
        assert!(store.create_api_token("bo", "past", Some(redflag_store::now_ms() - 1), "bo").await.is_err());
        assert!(store.create_api_token("bo", " ", None, "bo").await.is_err());

        let audit = store.audit_log(50, 0).await.unwrap();
        let actions: Vec<&str> =
            audit.iter().filter(|e| e.action.starts_with("token.")).map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["token.create", "token.revoke", "token.create"], "newest first, one revoke");
        assert_eq!(store.api_tokens(Some(ana_id)).await.unwrap().len(), 1);
        assert_eq!(store.api_tokens(None).await.unwrap().len(), 2);
    }
}
