/* fonts.c: kiosque's own fontconfig configuration (fonts/fonts.conf) and font presence checks. */
#include "kiosque/fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pango/pangoft2.h>

#include "kiosque/datadir.h"
#include "kiosque/output.h"

static GMutex fonts_lock;
static FcConfig *fonts_config; /* owned for the process's life once loaded */
static char *fonts_loaded_dir;

char *kq_fonts_dir(void)
{
  const char *env = g_getenv("KIOSQUE_FONTS_DIR");
  if (env && *env)
    return g_strdup(env);
  /* the one data-folder lookup (datadir.h) */
  char *conf = kq_datadir_find("fonts/fonts.conf");
  char *dir = conf ? g_path_get_dirname(conf) : g_build_filename(KQ_DATADIR, "fonts", NULL);
  g_free(conf);
  return dir;
}

gboolean kq_fonts_init(const char *fonts_dir, GError **error)
{
  gboolean ok = FALSE;
  char *dir = NULL, *conf = NULL;
  g_mutex_lock(&fonts_lock);
  if (fonts_config) {
    ok = TRUE;
    goto out;
  }
  dir = fonts_dir ? g_strdup(fonts_dir) : kq_fonts_dir();
  conf = g_build_filename(dir, "fonts.conf", NULL);
  if (!g_file_test(conf, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FONT,
                "%s: font configuration not found (set KIOSQUE_FONTS_DIR)", conf);
    goto out;
  }
  FcConfig *config = FcConfigCreate();
  if (!FcConfigParseAndLoad(config, (const FcChar8 *)conf, FcTrue) ||
      !FcConfigBuildFonts(config)) {
    FcConfigDestroy(config);
    g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FONT,
                "%s: fontconfig could not load this configuration", conf);
    goto out;
  }
  /* Pango's default font maps and ours both use it from now on. */
  FcConfigSetCurrent(config);
  fonts_config = config;
  fonts_loaded_dir = g_strdup(dir);
  ok = TRUE;
out:
  g_mutex_unlock(&fonts_lock);
  g_free(dir);
  g_free(conf);
  return ok;
}

/* The Debian package the manifest gives for family, or NULL. Caller frees. */
static char *manifest_package(const char *family)
{
  char *path = g_build_filename(fonts_loaded_dir ? fonts_loaded_dir : ".", "manifest.ini", NULL);
  GKeyFile *kf = g_key_file_new();
  char *pkg = NULL;
  if (g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL)) {
    gsize n = 0;
    char **groups = g_key_file_get_groups(kf, &n);
    for (gsize i = 0; i < n && !pkg; i++)
      if (g_ascii_strcasecmp(groups[i], family) == 0)
        pkg = g_key_file_get_string(kf, groups[i], "package", NULL);
    g_strfreev(groups);
  }
  g_key_file_free(kf);
  g_free(path);
  return pkg;
}

/* The installed faces of family (exact name), as an FcFontSet; caller destroys. */
static FcFontSet *family_fonts(const char *family)
{
  FcPattern *pat = FcPatternCreate();
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_CHARSET, FC_SLANT, FC_WEIGHT, NULL);
  FcFontSet *set = FcFontList(fonts_config, pat, os);
  FcObjectSetDestroy(os);
  FcPatternDestroy(pat);
  return set;
}

gboolean kq_fonts_check(const char *const *families, GError **error)
{
  if (!kq_fonts_init(NULL, error))
    return FALSE;
  for (gsize i = 0; families && families[i]; i++) {
    FcFontSet *set = family_fonts(families[i]);
    gboolean present = set && set->nfont > 0;
    if (set)
      FcFontSetDestroy(set);
    if (present)
      continue;
    char *pkg = manifest_package(families[i]);
    if (pkg)
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FONT,
                  "font \"%s\" is not installed (Debian package %s)", families[i], pkg);
    else
      g_set_error(error, KQ_WRITE_ERROR, KQ_WRITE_ERROR_FONT,
                  "font \"%s\" is not installed (not in fonts/manifest.ini: install a "
                  "package providing it or change the theme)",
                  families[i]);
    g_free(pkg);
    return FALSE;
  }
  return TRUE;
}

char *kq_fonts_missing_chars(const char *family, const char *text)
{
  if (!fonts_config)
    return NULL;
  FcFontSet *set = family_fonts(family);
  if (!set || set->nfont == 0) {
    if (set)
      FcFontSetDestroy(set);
    return NULL;
  }
  /* The upright, regular-weight face if there is one, else the first. */
  FcPattern *best = set->fonts[0];
  for (int i = 0; i < set->nfont; i++) {
    int slant = 0, weight = 0;
    FcPatternGetInteger(set->fonts[i], FC_SLANT, 0, &slant);
    FcPatternGetInteger(set->fonts[i], FC_WEIGHT, 0, &weight);
    if (slant == FC_SLANT_ROMAN && weight == FC_WEIGHT_REGULAR) {
      best = set->fonts[i];
      break;
    }
  }
  FcCharSet *cs = NULL;
  GString *missing = g_string_new(NULL);
  if (FcPatternGetCharSet(best, FC_CHARSET, 0, &cs) == FcResultMatch) {
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
      gunichar c = g_utf8_get_char(p);
      if (!FcCharSetHasChar(cs, c))
        g_string_append_unichar(missing, c);
    }
  }
  FcFontSetDestroy(set);
  return g_string_free(missing, FALSE);
}

PangoFontMap *kq_fonts_new_font_map(void)
{
  PangoFontMap *map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
  if (fonts_config)
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), fonts_config);
  return map;
}

PangoFontMap *kq_fonts_new_shaping_font_map(void)
{
  PangoFontMap *map = pango_ft2_font_map_new();
  pango_ft2_font_map_set_resolution(PANGO_FT2_FONT_MAP(map), 72.0, 72.0);
  if (fonts_config)
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), fonts_config);
  return map;
}
