-- A claim taken, renewed or let go is told to every server, as request
-- changes are: a desktop watching the request shows who is on it at once.
CREATE FUNCTION cashdesk_notify_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('cashdesk_changes', OLD.request_id);
    ELSE
        PERFORM pg_notify('cashdesk_changes', NEW.request_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER claims_notify AFTER INSERT OR UPDATE OR DELETE ON claims
    FOR EACH ROW EXECUTE FUNCTION cashdesk_notify_claim();
