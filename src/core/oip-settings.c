/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-settings.h"

static GSettingsBackend *backend_override;

/**
 * oip_settings_set_backend:
 * @backend: (nullable): where every oip_settings_new() of this process
 *   keeps its values from now on; %NULL for the default
 *
 * The GUI's demo keeps its settings apart from the seller's this way.
 */
void
oip_settings_set_backend (GSettingsBackend *backend)
{
  g_set_object (&backend_override, backend);
}

/**
 * oip_settings_new:
 *
 * The command line can run where the schema is not installed (a build
 * tree, a script's container); g_settings_new() would abort there, so the
 * schema is looked up first.
 *
 * Returns: (transfer full) (nullable): the app's settings, or %NULL when
 *   the schema is not installed
 */
GSettings *
oip_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, OIP_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, backend_override, NULL);
}

/**
 * oip_push_settings_load:
 * @settings: (out caller-allocates): filled from GSettings, or with the
 *   seed's defaults (30 s, 2 retries, validate URLs) without a schema
 */
void
oip_push_settings_load (OipPushSettings *settings)
{
  g_autoptr(GSettings) gsettings = oip_settings_new ();

  settings->timeout = 30;
  settings->max_retries = 2;
  settings->validate_urls = TRUE;

  if (gsettings == NULL)
    return;

  settings->timeout = g_settings_get_uint (gsettings, "timeout");
  settings->max_retries = g_settings_get_uint (gsettings, "max-retries");
  settings->validate_urls = g_settings_get_boolean (gsettings, "validate-urls");
}
