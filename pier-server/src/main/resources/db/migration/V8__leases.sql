-- Named leases: who holds an exclusive right (an app's change lock) until when. Kept in the store
-- so that holding survives nothing but the holder's renewals, and several servers can share it.
CREATE TABLE leases (
  name       VARCHAR(200) PRIMARY KEY,
  holder     VARCHAR(100) NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
