/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "oip-database.h"

G_BEGIN_DECLS

/* For tests, benchmarks and fuzzers that build a database by hand. */
gboolean oip_database_migrate (sqlite3  *db,
                               GError  **error);

G_END_DECLS
