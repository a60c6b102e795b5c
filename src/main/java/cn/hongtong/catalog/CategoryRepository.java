package cn.hongtong.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
class CategoryRepository implements PanacheRepositoryBase<Category, String> {}
