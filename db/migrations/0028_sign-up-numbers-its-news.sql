-- The sign-up function numbers its own news in the activity's room (ADR 0046), while it holds the
-- activity's row lock: the room's events that carry slot counts (a batch of sign-ups here, a cancellation
-- in its transaction) are then numbered in the order the lock gave them, so a page never shows an older
-- count after a newer one. Numbered apart, after the statement, a cancellation committed later could take
-- the lower number. Otherwise unchanged from 0026; the result gains "roomSeq" when a place changed hands.
CREATE OR REPLACE FUNCTION "activity_sign_up"(
  p_activity_id integer,
  p_user_ids integer[],
  p_role_ids integer[],
  p_at timestamptz[],
  p_may_members boolean[],
  p_may_residents boolean[]
) RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $fn$
DECLARE
  act record;
  answer jsonb;
  room_seq bigint;
BEGIN
  IF cardinality(p_role_ids) IS DISTINCT FROM cardinality(p_user_ids)
     OR cardinality(p_at) IS DISTINCT FROM cardinality(p_user_ids)
     OR cardinality(p_may_members) IS DISTINCT FROM cardinality(p_user_ids)
     OR cardinality(p_may_residents) IS DISTINCT FROM cardinality(p_user_ids) THEN
    RAISE EXCEPTION 'activity_sign_up: the arrays of one batch must have the same length';
  END IF;

  -- The lock first, in a statement of its own: each statement after it takes its snapshot once the lock is
  -- granted (READ COMMITTED), so the counts below include everything the batch before this one wrote.
  SELECT a.id, a.status, a.starts_at, a.eligibility INTO act FROM "activities" a WHERE a.id = p_activity_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;

  WITH asked AS (
    SELECT r.n::int AS n, r.user_id, r.role_id, r.at, r.may_members, r.may_residents
    FROM unnest(p_user_ids, p_role_ids, p_at, p_may_members, p_may_residents)
      WITH ORDINALITY AS r(user_id, role_id, at, may_members, may_residents, n)
  ), tally AS (
    -- One pass over the activity's records: each role's places and waiting, and the highest arrival number.
    SELECT s.role_id,
      count(*) FILTER (WHERE s.status = 'signed_up')::int AS taken,
      count(*) FILTER (WHERE s.status = 'waitlisted')::int AS waiting,
      max(s.seq) AS last_seq
    FROM "activity_signups" s WHERE s.activity_id = act.id
    GROUP BY s.role_id
  ), roles AS (
    SELECT ar.id, ar.slots, ar.sort_order, coalesce(t.taken, 0) AS taken, coalesce(t.waiting, 0) AS waiting
    FROM "activity_roles" ar LEFT JOIN tally t ON t.role_id = ar.id
    WHERE ar.activity_id = act.id
  ), judged AS (
    -- rules.ts: may this person join (permissions.ts' answer for this activity's eligibility), is sign-up
    -- open (`signupOpen`), is the role this activity's — in that order.
    SELECT q.*,
      CASE
        WHEN q.user_id IS NULL OR NOT coalesce(CASE WHEN act.eligibility = 'members' THEN q.may_members ELSE q.may_residents END, false) THEN 'forbidden'
        WHEN NOT (act.status = 'open' AND q.at < act.starts_at) THEN 'closed'
        WHEN NOT EXISTS (SELECT 1 FROM roles WHERE roles.id = q.role_id) THEN 'no_role'
      END AS refusal
    FROM asked q
  ), firsts AS (
    -- Each person's first accepted request; their later ones in the batch get its answer (a double click).
    SELECT DISTINCT ON (j.user_id) j.n, j.user_id, j.role_id, j.at FROM judged j WHERE j.refusal IS NULL ORDER BY j.user_id, j.n
  ), mine AS (
    SELECT s.id, s.user_id, s.role_id, s.status, s.seq
    FROM "activity_signups" s WHERE s.activity_id = act.id AND s.user_id IN (SELECT f.user_id FROM firsts f)
  ), newcomers AS (
    -- Who gets a place now: nobody's row yet, or a cancelled row that queues again at the end; in arrival order.
    SELECT f.n, f.user_id, f.role_id, f.at, m.id AS again,
      row_number() OVER (ORDER BY f.n) AS k,
      row_number() OVER (PARTITION BY f.role_id ORDER BY f.n) AS in_role
    FROM firsts f LEFT JOIN mine m ON m.user_id = f.user_id
    WHERE m.id IS NULL OR m.status = 'cancelled'
  ), placed AS (
    -- `placeFor`: a free slot while the role has one, else the end of its waitlist (no one leaves mid-batch,
    -- so the k-th newcomer of a role gets a slot exactly when taken + k <= slots). Arrival numbers go on from
    -- the activity's highest.
    SELECT p.n, p.user_id, p.role_id, p.at, p.again,
      (SELECT coalesce(max(t.last_seq), 0) FROM tally t)::int + p.k::int AS seq,
      CASE WHEN r.taken + p.in_role <= r.slots THEN 'signed_up' ELSE 'waitlisted' END AS status
    FROM newcomers p JOIN roles r ON r.id = p.role_id
  ), made AS (
    INSERT INTO "activity_signups" (activity_id, role_id, user_id, status, seq, created_at)
    SELECT act.id, p.role_id, p.user_id, p.status, p.seq, p.at FROM placed p WHERE p.again IS NULL ORDER BY p.n
    RETURNING id, user_id, role_id, status, seq
  ), requeued AS (
    UPDATE "activity_signups" s
    SET role_id = p.role_id, status = p.status, seq = p.seq, cancelled_at = NULL, created_at = p.at
    FROM placed p WHERE s.id = p.again
    RETURNING s.id, s.user_id, s.role_id, s.status, s.seq
  ), audited AS (
    INSERT INTO "audit_events" (actor_id, action, subject_type, subject_id, data)
    SELECT p.user_id, 'activity.' || p.status, 'activity', act.id::text, jsonb_build_object('roleId', p.role_id) FROM placed p ORDER BY p.n
  ), answered AS (
    SELECT x.id, x.user_id, x.role_id, x.status, x.seq FROM made x
    UNION ALL SELECT x.id, x.user_id, x.role_id, x.status, x.seq FROM requeued x
    UNION ALL SELECT m.id, m.user_id, m.role_id, m.status, m.seq FROM mine m WHERE m.status <> 'cancelled'
  )
  SELECT jsonb_build_object(
    'items', (
      SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
          'n', j.n,
          'outcome', coalesce(j.refusal, CASE WHEN p.n IS NOT NULL THEN 'placed' ELSE 'kept' END),
          'id', x.id, 'userId', x.user_id, 'roleId', x.role_id, 'status', x.status, 'seq', x.seq
        )) ORDER BY j.n)
      FROM judged j
      LEFT JOIN answered x ON j.refusal IS NULL AND x.user_id = j.user_id
      LEFT JOIN placed p ON p.n = j.n
    ),
    'roles', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
          'roleId', r.id,
          'signedUp', r.taken + (SELECT count(*) FROM placed p WHERE p.role_id = r.id AND p.status = 'signed_up'),
          'waitlisted', r.waiting + (SELECT count(*) FROM placed p WHERE p.role_id = r.id AND p.status = 'waitlisted')
        ) ORDER BY r.sort_order, r.id), '[]'::jsonb)
      FROM roles r
    )
  ) INTO answer;
  -- A place changed hands: the activity's room hears the counts, numbered under the lock (ADR 0046).
  IF answer->'items' @> '[{"outcome": "placed"}]'::jsonb THEN
    INSERT INTO "room_seqs" (room, seq) VALUES ('activity:' || act.id, 1)
    ON CONFLICT (room) DO UPDATE SET seq = "room_seqs".seq + 1
    RETURNING seq INTO room_seq;
    INSERT INTO "room_events" (room, seq, event, args)
    VALUES ('activity:' || act.id, room_seq, 'activity:changed', jsonb_build_array(jsonb_build_object('activityId', act.id, 'roles', answer->'roles')));
    answer := answer || jsonb_build_object('roomSeq', room_seq);
  END IF;
  RETURN answer;
END
$fn$;
