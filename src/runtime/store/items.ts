/**
 * The Store API's operations: namespaces checked (namespaces.ts), then the caller's own items. Every
 * user has a store of their own (the owner the auth gate names: api-keys, jwt and custom mode alike; none
 * without authentication). A custom `Auth` handler's filters are about metadata, which items do not have:
 * its answer may refuse a call (403), and otherwise items are kept apart by owner only.
 */
import type { Access } from "../../auth/access.ts";
import type { Schema } from "../../contract.ts";
import type { Stores } from "../../stores/types.ts";
import type { StoreItemRecord } from "../../stores/store-items.ts";
import { checkNamespaces, namespaceFromQuery } from "./namespaces.ts";

type StoreDeps = Pick<Stores, "storeItems">;

export async function putStoreItem(
  { storeItems }: StoreDeps,
  body: Schema<"StorePutRequest">,
  access: Access,
): Promise<void> {
  checkNamespaces({ namespace: { labels: body.namespace, required: true } });
  // `index` is accepted and not used: there is no semantic index yet.
  await storeItems.put(access.owner_id, {
    namespace: body.namespace,
    key: body.key,
    value: body.value,
    ttl_minutes: body.ttl ?? null,
  });
}

export async function getStoreItem(
  { storeItems }: StoreDeps,
  query: { key: string; namespace?: string[] },
  refreshTtl: boolean,
  access: Access,
): Promise<StoreItemRecord | null> {
  const namespace = namespaceFromQuery(query.namespace);
  if (namespace.length === 0) return null; // the root namespace holds no items
  return storeItems.get(access.owner_id, namespace, query.key, refreshTtl);
}

export async function deleteStoreItem(
  { storeItems }: StoreDeps,
  body: Schema<"StoreDeleteRequest">,
  access: Access,
): Promise<void> {
  checkNamespaces({ namespace: { labels: body.namespace } });
  if (!body.namespace || body.namespace.length === 0) return;
  await storeItems.delete(access.owner_id, body.namespace, body.key);
}

export async function searchStoreItems(
  { storeItems }: StoreDeps,
  body: Schema<"StoreSearchRequest"> | undefined,
  access: Access,
): Promise<StoreItemRecord[]> {
  checkNamespaces({ namespace_prefix: { labels: body?.namespace_prefix } });
  // `query` is accepted and ranks nothing: there is no semantic index yet.
  return storeItems.search(access.owner_id, {
    namespace_prefix: body?.namespace_prefix ?? [],
    filter: body?.filter ?? undefined,
    limit: body?.limit ?? 10,
    offset: body?.offset ?? 0,
    refresh_ttl: body?.refresh_ttl ?? true,
  });
}

export async function listStoreNamespaces(
  { storeItems }: StoreDeps,
  body: Schema<"StoreListNamespacesRequest"> | undefined,
  access: Access,
): Promise<string[][]> {
  checkNamespaces({ prefix: { labels: body?.prefix }, suffix: { labels: body?.suffix } });
  return storeItems.listNamespaces(access.owner_id, {
    prefix: body?.prefix ?? [],
    suffix: body?.suffix ?? [],
    max_depth: body?.max_depth ?? undefined,
    limit: body?.limit ?? 100,
    offset: body?.offset ?? 0,
  });
}
