/* fuzz_main.c: replays fuzz inputs without libFuzzer, so ctest runs every target's corpus under gcc. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
  char *data = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!g_file_get_contents(path, &data, &len, &err)) {
    fprintf(stderr, "replay: %s: %s\n", path, err->message);
    g_error_free(err);
    return 1;
  }
  /* a copy of exactly len bytes, so ASan sees reads past the end */
  uint8_t *exact = g_memdup2(data, len ? len : 1);
  LLVMFuzzerTestOneInput(exact, len);
  g_free(exact);
  g_free(data);
  return 0;
}

static int replay(const char *path, guint *count)
{
  if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
    (*count)++;
    return replay_file(path);
  }
  GDir *dir = g_dir_open(path, 0, NULL);
  if (!dir)
    return 1;
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(dir)))
    if (name[0] != '.')
      g_ptr_array_add(names, g_build_filename(path, name, NULL));
  g_dir_close(dir);
  g_ptr_array_sort(names, (GCompareFunc)(void (*)(void))g_strcmp0);
  int status = 0;
  for (guint i = 0; i < names->len; i++)
    status |= replay(g_ptr_array_index(names, i), count);
  g_ptr_array_unref(names);
  return status;
}

int main(int argc, char **argv)
{
  guint count = 0;
  int status = 0;
  for (int i = 1; i < argc; i++)
    if (g_file_test(argv[i], G_FILE_TEST_EXISTS))
      status |= replay(argv[i], &count);
  printf("replayed %u input%s\n", count, count == 1 ? "" : "s");
  return status;
}
