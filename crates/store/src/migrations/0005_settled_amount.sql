-- The amount (and currency) the provider reports it actually settled,
-- when it reports one. It can differ from the request's (a customer who
-- paid less, Paykassma's savings pooling): then the request is
-- 'amount_differs' until a person decides, and the operator's platform
-- reads this amount, not the requested one.
ALTER TABLE requests ADD COLUMN settled_amount TEXT;
ALTER TABLE requests ADD COLUMN settled_currency TEXT;
