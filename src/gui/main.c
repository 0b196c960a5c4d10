/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "oip-application.h"
#include "oip-credentials.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OipApplication) app = NULL;
  const char *localedir = g_getenv ("OZON_PUSH_LOCALEDIR");

  /* Secrets given in the environment leave it before anything can spawn. */
  oip_env_secrets_take ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Ozon Image Push"));
  app = oip_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
