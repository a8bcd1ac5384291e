/** Tag `store`: long-term memory, JSON items under keys in namespaces, each user's their own (runtime/store/service.ts). */
import { checkNamespaces, namespaceFromQuery } from "../runtime/store/namespaces.ts";
import type { TagHandlers } from "./types.ts";
import { flag } from "./shared/wire.ts";

export const storeHandlers: TagHandlers<
  "putStoreItem" | "getStoreItem" | "deleteStoreItem" | "searchStoreItems" | "listStoreNamespaces"
> = {
  async putStoreItem({ body, access }, { store }) {
    await store.put(access.owner_id, {
      namespace: body.namespace,
      key: body.key,
      value: body.value,
      index: body.index,
      ttl: body.ttl,
    });
    return { status: 204 };
  },

  async getStoreItem({ query, access }, { store }) {
    // Absent, `refresh_ttl` is langgraph.json's `store.ttl.refresh_on_read` (true unless it says otherwise).
    const refresh = query.refresh_ttl === undefined ? undefined : flag(query.refresh_ttl, true);
    const item = await store.get(access.owner_id, namespaceFromQuery(query.namespace), query.key, refresh);
    return { status: 200, body: item };
  },

  async deleteStoreItem({ body, access }, { store }) {
    checkNamespaces({ namespace: { labels: body.namespace } });
    await store.delete(access.owner_id, body.namespace ?? [], body.key);
    return { status: 204 };
  },

  async searchStoreItems({ body, access }, { store }) {
    const items = await store.search(access.owner_id, {
      namespace_prefix: body?.namespace_prefix ?? [],
      filter: body?.filter ?? undefined,
      limit: body?.limit ?? 10,
      offset: body?.offset ?? 0,
      query: body?.query,
      refresh_ttl: body?.refresh_ttl,
    });
    return { status: 200, body: { items } };
  },

  async listStoreNamespaces({ body, access }, { store }) {
    const namespaces = await store.listNamespaces(access.owner_id, {
      prefix: body?.prefix ?? [],
      suffix: body?.suffix ?? [],
      max_depth: body?.max_depth ?? undefined,
      limit: body?.limit ?? 100,
      offset: body?.offset ?? 0,
    });
    return { status: 200, body: { namespaces } };
  },
};
