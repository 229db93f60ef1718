-- CareChat schema, version 24: cluster-wide presence under a lease. Each node writes the users it
-- holds live sessions of and renews its lease; a node that stops renewing is forgotten, with its
-- users, once its lease has ended.
-- Portable SQL for H2 and PostgreSQL. ${prefix} is the optional table prefix.

CREATE TABLE ${prefix}presence_nodes (
    node_id     VARCHAR(64) NOT NULL,
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}presence_nodes_pk PRIMARY KEY (node_id)
);

-- Nodes whose lease ended are found by it.
CREATE INDEX ${prefix}presence_nodes_lease_idx ON ${prefix}presence_nodes (lease_until);

CREATE TABLE ${prefix}presence (
    node_id    VARCHAR(64) NOT NULL,
    user_id    VARCHAR(64) NOT NULL,
    status     VARCHAR(16) NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}presence_pk PRIMARY KEY (node_id, user_id)
);
